/**
 * ring-order-respected: consumers in a ring run no version the ring has not reached. Starts from
 * a valid stack (the component's own choices pass) and changes one thing per case.
 */
import * as pulumi from "@pulumi/pulumi";
import { installMocks, promiseOf } from "../helpers/mocks";
import { argsWith } from "../fixtures/globalImage";
import { guardrailsOf, messagesOf, onBothSides, violationsOf } from "./scenario";
import type { RegisteredResource } from "../../src/check/policyRun";

const recorder = installMocks();
import { GlobalImage } from "../../src/component/globalImage";
import { ImageReplica } from "../../src/component/imageReplica";
import { ImageHostPool } from "../../src/consumers/imageHostPool";
import { NOW_VARIABLE } from "../../src/component/clock";
import { ImageHandle } from "../../src/consumers/imageHandle";

const POLICY = "ring-order-respected";
const args = () =>
  argsWith((a) => {
    a.rings = [{ name: "pilot" }, { name: "early", soakDays: 2 }, { name: "broad", soakDays: 7 }];
    a.versions["1.1.0"].activatedAt = "2026-11-01T10:00:00Z";
    a.versions["1.9.0"].activatedAt = "2026-12-01T10:00:00Z";
  });

/** The stack at day 1 (12-02): early and broad still run 1.1.0. */
async function stack(pin?: string, edit?: (r: RegisteredResource[]) => void) {
  process.env[NOW_VARIABLE] = "2026-12-02T10:00:00Z";
  try {
    return messagesOf(
      await violationsOf(
        recorder,
        () => {
          const image = new GlobalImage("msp", args(), recorder.opts);
          new ImageReplica(
            "c-broad",
            {
              source: image,
              ring: "broad",
              activeVersion: pin,
              resourceGroupName: "rg-c",
              location: "westeurope",
              galleryName: "c_broad",
              regions: [{ name: "westeurope" }],
            },
            recorder.opts,
          );
          return new ImageHostPool(
            "p-early",
            {
              image,
              ring: "early",
              resourceGroupName: "rg-pools",
              location: "westeurope",
              hostPoolType: "Pooled",
              loadBalancerType: "BreadthFirst",
              preferredAppGroupType: "Desktop",
            },
            recorder.opts,
          ).vmTemplate;
        },
        {},
        edit,
      ),
      POLICY,
    );
  } finally {
    delete process.env[NOW_VARIABLE];
  }
}

describe("ring-order-respected", () => {
  it("passes consumers on the versions their rings have reached (a backup, here)", async () => {
    process.env[NOW_VARIABLE] = "2026-12-02T10:00:00Z";
    expect(await stack()).toEqual([]);
  });

  it("reports a replica pinned to a version its ring may not have yet, naming the ring, the version and when", async () => {
    const [message, ...rest] = await stack("1.9.0");
    expect(rest).toEqual([]);
    expect(message).toMatch(
      /^ImageReplica "c-broad": it runs 1\.9\.0, which ring "broad" may not have yet \(it becomes eligible at 2026-12-10T10:00Z; the ring may run 1\.1\.0 now/,
    );
  });

  it("reports a pool in a ring whose template names a version the ring has not reached", async () => {
    const messages = await stack(undefined, (resources) => {
      const pool = resources.find((r) => r.name === "p-early-pool")!;
      onBothSides(pool, (props) => {
        props.vmTemplate = (props.vmTemplate as string).replace(
          "/versions/1.1.0",
          "/versions/1.9.0",
        );
      });
    });
    expect(messages).toEqual([
      expect.stringMatching(
        /^Host pool "p-early-pool": it runs 1\.9\.0, which ring "early" may not have yet \(it becomes eligible at 2026-12-03T10:00Z/,
      ),
    ]);
  });

  it("checks a pool in a ring in a customer stack, from what its binding was made of", async () => {
    process.env[NOW_VARIABLE] = "2026-12-02T10:00:00Z";
    try {
      // The image stack's exported handle.
      recorder.reset();
      const handle = new GlobalImage("msp", args(), recorder.opts).handle();
      const exported = await promiseOf(pulumi.output({ ...handle }));
      recorder.stackOutputs["contoso/msp/prod"] = {
        images: { win11: JSON.parse(JSON.stringify(exported)) },
      };
      const customerPool = (edit?: (r: RegisteredResource[]) => void) =>
        violationsOf(
          recorder,
          () =>
            pulumi.output(
              ImageHandle.fromStackAsync(
                new pulumi.StackReference("contoso/msp/prod"),
                "images.win11",
              ).then(
                (image) =>
                  new ImageHostPool(
                    "customer-early",
                    {
                      image,
                      ring: "early",
                      resourceGroupName: "rg-customer",
                      location: "westeurope",
                      hostPoolType: "Pooled",
                      loadBalancerType: "BreadthFirst",
                      preferredAppGroupType: "Desktop",
                    },
                    recorder.opts,
                  ).vmTemplate,
              ),
            ),
          {},
          edit,
        );
      expect(messagesOf(await customerPool(), POLICY)).toEqual([]);
      // A binding that does not carry the image's rings is not a pass.
      expect(
        messagesOf(
          await customerPool((resources) => {
            delete guardrailsOf(resources, "global-image:index:ImageHostPool").ringSource;
          }),
          POLICY,
        ),
      ).toEqual([
        expect.stringMatching(
          /^Host pool "customer-early-pool": it is in ring "early", but neither this stack nor the pool's binding holds the image's rings/,
        ),
      ]);
      const messages = messagesOf(
        await customerPool((resources) => {
          const pool = resources.find((r) => r.name === "customer-early-pool")!;
          onBothSides(pool, (props) => {
            props.vmTemplate = (props.vmTemplate as string).replace(
              "/versions/1.1.0",
              "/versions/1.9.0",
            );
          });
        }),
        POLICY,
      );
      expect(messages).toEqual([
        expect.stringMatching(
          /^Host pool "customer-early-pool": it runs 1\.9\.0, which ring "early" may not have yet \(it becomes eligible at 2026-12-03T10:00Z/,
        ),
      ]);
    } finally {
      delete process.env[NOW_VARIABLE];
    }
  });

  it("reports a pool whose image in this stack no longer declares its ring", async () => {
    const messages = await stack(undefined, (resources) => {
      delete guardrailsOf(resources, "global-image:index:GlobalImage").rings;
    });
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^Host pool "p-early-pool": it is in ring "early", which the image does not declare/,
      ),
    );
  });

  it("passes the same pin once the ring has reached it", async () => {
    process.env[NOW_VARIABLE] = "2026-12-11T10:00:00Z";
    const messages = messagesOf(
      await violationsOf(recorder, () => {
        const image = new GlobalImage("msp", args(), recorder.opts);
        return new ImageReplica(
          "c-broad",
          {
            source: image,
            ring: "broad",
            activeVersion: "1.9.0",
            resourceGroupName: "rg-c",
            location: "westeurope",
            galleryName: "c_broad",
            regions: [{ name: "westeurope" }],
          },
          recorder.opts,
        ).activeVersion;
      }),
      POLICY,
    );
    delete process.env[NOW_VARIABLE];
    expect(messages).toEqual([]);
  });
});
