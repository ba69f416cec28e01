import * as fs from "node:fs";
import * as path from "node:path";
import { probeProject as project } from "../helpers/cli";
import { ProgramError, evaluateOffline } from "../../src/check/evaluate";

jest.setTimeout(60_000);

const request = (dir: string) => ({
  dir,
  project: "probe",
  stack: "dev",
  runtime: "nodejs",
  main: "index.ts",
  config: {},
  stackOutputs: {},
});

describe("evaluateOffline", () => {
  it("records what a program registers and exports", async () => {
    const dir = project(
      `import * as random from "@pulumi/random";\nexport const pw = new random.RandomPassword("pw", { length: 8 }).result;\n`,
    );
    const result = await evaluateOffline(request(dir));
    expect(result.resources.map((r) => r.type)).toEqual([
      "pulumi:pulumi:Stack",
      "random:index/randomPassword:RandomPassword",
    ]);
    expect(result.outputs).toEqual({ pw: expect.anything() });
  });

  it("records registrations still in flight when the program's outputs resolve", async () => {
    // The stack's outputs resolve at once; the password registers when its length does, later.
    const dir = project(
      `import * as pulumi from "@pulumi/pulumi";\nimport * as random from "@pulumi/random";\n` +
        `const length = new Promise<number>((resolve) => setTimeout(() => resolve(8), 1500));\n` +
        `new random.RandomPassword("late", { length: pulumi.output(length) });\n` +
        `export const ready = "now";\n`,
    );
    const result = await evaluateOffline(request(dir));
    expect(result.outputs).toEqual({ ready: "now" });
    expect(result.resources.find((r) => r.name === "late")?.inputs).toMatchObject({ length: 8 });
  });

  it("says so when a program ends with an output that never resolved", async () => {
    const dir = project(`export const never = new Promise<string>(() => undefined);\n`);
    const failure = await evaluateOffline(request(dir)).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ProgramError);
    expect((failure as Error).message).toMatch(/ended before its outputs resolved/);
  });

  it("gives up on a program that never finishes, saying why", async () => {
    const dir = project(
      `setInterval(() => undefined, 1000);\nexport const never = new Promise<string>(() => undefined);\n`,
    );
    const failure = await evaluateOffline(request(dir), 4000).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ProgramError);
    expect((failure as Error).message).toMatch(
      /did not finish within 4 s \(an output that never resolves\?\)/,
    );
  });

  it("reports a program that throws with its message", async () => {
    const dir = project(`throw new Error("boom: bad wiring");\n`);
    const failure = await evaluateOffline(request(dir)).catch((err: unknown) => err);
    expect((failure as Error).message).toMatch(/boom: bad wiring/);
  });
});

describe("a warm worker runs each evaluation as a fresh process would", () => {
  it("fresh modules, store and registrations; the parent's environment and the program's directory", async () => {
    const program =
      `import * as fs from "node:fs";\nimport * as random from "@pulumi/random";\nimport { next } from "./counter";\n` +
      `new random.RandomPassword("pw", { length: 8 });\n` +
      `export const count = next();\nexport const pid = process.pid;\nexport const cwd = fs.realpathSync(process.cwd());\n` +
      `export const flag = process.env.GLOBAL_IMAGE_PROBE ?? "unset";\n`;
    const counter = `let n = 0;\nexport const next = () => ++n;\n`;
    const withCounter = () => {
      const dir = project(program);
      fs.writeFileSync(path.join(dir, "counter.ts"), counter);
      return dir;
    };
    const first = withCounter();
    const second = withCounter();
    process.env.GLOBAL_IMAGE_PROBE = "one";
    const a = await evaluateOffline(request(first));
    delete process.env.GLOBAL_IMAGE_PROBE;
    const b = await evaluateOffline(request(second));
    // The same process served both (the reuse is real), yet nothing of the first run remained.
    expect(b.outputs.pid).toBe(a.outputs.pid);
    expect([a.outputs.count, b.outputs.count]).toEqual([1, 1]);
    expect([a.outputs.flag, b.outputs.flag]).toEqual(["one", "unset"]);
    expect(a.outputs.cwd).toBe(fs.realpathSync(first));
    expect(b.outputs.cwd).toBe(fs.realpathSync(second));
    // A program that fails retires its worker: what it left in flight cannot reach the next one.
    const failed = await evaluateOffline(request(project(`throw new Error("between");\n`))).catch(
      (err: unknown) => err,
    );
    expect((failed as Error).message).toMatch(/between/);
    const c = await evaluateOffline(request(first));
    expect(c.outputs.pid).not.toBe(b.outputs.pid);
    expect(c.outputs.count).toBe(1);
    for (const run of [a, b, c])
      expect(run.resources.map((r) => r.name)).toEqual(["probe-dev", "pw"]);
  });

  it("an idle worker ends by itself; the next evaluation gets a new one", async () => {
    const dir = project(`export const pid = process.pid;\n`);
    process.env.GLOBAL_IMAGE_WORKER_IDLE_MS = "300";
    try {
      // Failing programs retire the warm workers kept before (at most two are kept idle), so the
      // next evaluation starts a worker with the short idle time.
      for (let i = 0; i < 2; i++) {
        const failed = await evaluateOffline(request(project(`throw new Error("x");\n`))).catch(
          (err: unknown) => err,
        );
        expect(failed).toBeInstanceOf(ProgramError);
      }
      const a = await evaluateOffline(request(dir));
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const b = await evaluateOffline(request(dir));
      expect(b.outputs.pid).not.toBe(a.outputs.pid);
      expect(() => process.kill(a.outputs.pid as number, 0)).toThrow(); // it is gone
    } finally {
      delete process.env.GLOBAL_IMAGE_WORKER_IDLE_MS;
    }
  });
});
