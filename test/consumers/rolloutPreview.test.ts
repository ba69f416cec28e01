/**
 * A first `pulumi preview` of a pool with session hosts: nothing exists, every id is unknown,
 * yet the step is planned from names and the preview shows the hosts it would create.
 */
import { installMocks, promiseOf, settle } from "../helpers/mocks";
import { validArgs } from "../fixtures/globalImage";
import { SUBNET, poolArgs } from "../fixtures/hostPool";

const recorder = installMocks("project", "dev", true);
import { GlobalImage } from "../../src/component/globalImage";
import { ImageHostPool } from "../../src/consumers/imageHostPool";

describe("a rollout during a first preview", () => {
  it("shows every host it would create, and the first deployment's status", async () => {
    const image = new GlobalImage("img", validArgs(), recorder.opts);
    const pool = new ImageHostPool(
      "prod",
      poolArgs(image, (a) => {
        a.vmTemplate = { namePrefix: "avd-p" };
        a.sessionHosts = { count: 3, subnetId: SUBNET };
        a.registrationTokenExpiration = "2026-12-20T00:00:00Z";
      }),
      recorder.opts,
    );
    const status = await promiseOf(pool.rollout);
    await settle();
    expect(status).toMatchObject({
      target: "1.9.0",
      done: false,
      summary: "creating 3 missing host(s) on 1.9.0",
    });
    const vms = recorder.registered("azure-native:compute:VirtualMachine");
    expect(vms.map((v) => v.inputs.vmName)).toEqual(["avd-p-0", "avd-p-1", "avd-p-2"]);
    // The version's id is not known yet: the engine is told so, rather than given a guess.
    expect(vms[0].inputs.storageProfile.imageReference.id).toEqual({ __pulumiUnknown: true });
    expect(vms[0].inputs.tags["global-image:version"]).toBe("1.9.0");
  });
});
