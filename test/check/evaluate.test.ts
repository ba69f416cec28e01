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
