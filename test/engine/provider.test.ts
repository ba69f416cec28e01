/**
 * The component provider as a consumer gets it: `npm pack` of this package installed into a
 * temporary consumer, started as the nodejs language host starts a `PulumiPlugin.yaml` package
 * (`node <cmd/run-plugin> <package dir> <engine>` in the consumer's directory), then GetSchema and
 * Construct over gRPC, with engine.ts answering as the engine's ResourceMonitor.
 */
import { ChildProcess, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Engine, startPlugin } from "./engine";

/* eslint-disable @typescript-eslint/no-require-imports -- the SDK's generated stubs are CommonJS */
const grpc = require("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
const providerproto = require("@pulumi/pulumi/proto/provider_pb");
const providerrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const structproto = require("google-protobuf/google/protobuf/struct_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

const REPO = path.join(__dirname, "..", "..");

/** The tarball installed into a new consumer; its dependencies linked from this repository. */
function installedPackage(): { consumer: string; pkg: string } {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "global-image-consumer-"));
  const tarball = execFileSync(
    "npm",
    ["pack", "--ignore-scripts", "--silent", "--pack-destination", temp],
    { cwd: REPO, encoding: "utf8" },
  )
    .trim()
    .split("\n")
    .pop()!;
  const consumer = path.join(temp, "consumer");
  const modules = path.join(consumer, "node_modules");
  fs.mkdirSync(modules, { recursive: true });
  fs.writeFileSync(path.join(consumer, "package.json"), '{ "name": "consumer", "private": true }');
  execFileSync("tar", ["xzf", path.join(temp, tarball), "-C", temp]);
  const pkg = path.join(modules, "global-image");
  fs.renameSync(path.join(temp, "package"), pkg);
  // What `npm install` of the tarball brings: its dependencies, linked (offline), none of this
  // repository's devDependencies (no ts-node, no @types, no jest).
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as {
    devDependencies: Record<string, string>;
  };
  const dev = new Set(Object.keys(manifest.devDependencies));
  const link = (name: string) => {
    fs.mkdirSync(path.dirname(path.join(modules, name)), { recursive: true });
    fs.symlinkSync(path.join(REPO, "node_modules", name), path.join(modules, name));
  };
  for (const entry of fs.readdirSync(path.join(REPO, "node_modules"))) {
    if (entry === "global-image" || entry.startsWith(".")) continue;
    if (!entry.startsWith("@")) {
      if (!dev.has(entry)) link(entry);
      continue;
    }
    for (const scoped of fs.readdirSync(path.join(REPO, "node_modules", entry)))
      if (!dev.has(`${entry}/${scoped}`)) link(`${entry}/${scoped}`);
  }
  return { consumer, pkg };
}

describe("the component provider from the npm tarball", () => {
  let engine: Engine;
  let plugin: ChildProcess;
  let client: any;
  let pkg: string;

  beforeAll(async () => {
    const installed = installedPackage();
    pkg = installed.pkg;
    engine = new Engine("consumer", "dev", "update");
    const address = await engine.start();
    const entry = require.resolve("@pulumi/pulumi/cmd/run-plugin", { paths: [pkg] });
    const started = await startPlugin([entry, pkg, address], installed.consumer, {
      PULUMI_NODEJS_TYPESCRIPT: "true",
    });
    plugin = started.child;
    client = new providerrpc.ResourceProviderClient(
      `127.0.0.1:${started.port}`,
      grpc.credentials.createInsecure(),
    );
  }, 120_000);

  afterAll(() => {
    client?.close();
    plugin?.kill("SIGKILL");
    engine?.stop();
  });

  const call = <T>(method: string, request: unknown): Promise<T> =>
    new Promise((resolve, reject) =>
      client[method](request, (err: Error | null, resp: T) => (err ? reject(err) : resolve(resp))),
    );

  function construct(name: string, inputs: Record<string, unknown>): Promise<any> {
    const req = new providerproto.ConstructRequest();
    req.setProject("consumer");
    req.setStack("dev");
    req.setOrganization("organization");
    req.setDryrun(false);
    req.setParallel(4);
    req.setMonitorendpoint(engine.address);
    req.setType("global-image:index:GlobalImage");
    req.setName(name);
    req.setInputs(structproto.Struct.fromJavaScript(inputs));
    return call("construct", req);
  }

  const image = (activeVersion: string) => ({
    resourceGroupName: "rg-images",
    location: "westeurope",
    galleryName: "msp_gallery",
    image: { name: "win11", publisher: "Contoso", offer: "avd", sku: "win11", osType: "Windows" },
    regions: [{ name: "westeurope" }],
    versions: {
      "1.0.0": {
        source: {
          virtualMachineId:
            "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-images/providers/Microsoft.Compute/virtualMachines/v100",
        },
      },
    },
    activeVersion,
  });

  it("ships what GetSchema needs: the schema inferred from the installed package is schema.json", async () => {
    expect(fs.existsSync(path.join(pkg, "src", "index.ts"))).toBe(true);
    const resp: any = await call("getSchema", new providerproto.GetSchemaRequest());
    const schema = JSON.parse(resp.getSchema());
    const committed = JSON.parse(fs.readFileSync(path.join(REPO, "schema.json"), "utf8"));
    expect(Object.keys(schema.resources).sort()).toEqual([
      "global-image:index:GlobalImage",
      "global-image:index:ImageHostPool",
      "global-image:index:ImageReplica",
    ]);
    try {
      expect(schema).toEqual(committed);
    } catch (e) {
      (e as Error).message =
        "schema.json is not the schema the engine infers from the package's source: regenerate " +
        `it with \`npm run build && UPDATE_SCHEMA=1 npx jest test/schema\`\n\n${(e as Error).message}`;
      throw e;
    }
  }, 120_000);

  it("constructs a GlobalImage through the engine: the component, its children, its guardrails output", async () => {
    const resp = await construct("img", image("1.0.0"));
    expect(resp.getUrn()).toBe("urn:pulumi:dev::consumer::global-image:index:GlobalImage::img");
    const types = engine.resources.map((r) => r.type);
    expect(types).toEqual(
      expect.arrayContaining([
        "global-image:index:GlobalImage",
        "azure-native:compute:Gallery",
        "azure-native:compute:GalleryImage",
        "azure-native:compute:GalleryImageVersion",
      ]),
    );
    const state = resp.getState().toJavaScript();
    expect(state.activeVersion).toBe("1.0.0");
    const component = engine.resources.find((r) => r.type === "global-image:index:GlobalImage")!;
    expect((component.outputs.guardrails as { schema: string }).schema).toBe(
      "global-image.guardrails/v1",
    );
  }, 120_000);

  it("refuses bad input naming the field, and registers nothing", async () => {
    const before = engine.resources.length;
    await expect(construct("bad", image("9.9.9"))).rejects.toThrow(/activeVersion/);
    expect(engine.resources.length).toBe(before);
  }, 60_000);
});
