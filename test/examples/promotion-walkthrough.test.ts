import { execFileSync } from "node:child_process";
import * as path from "node:path";

const REPO = path.join(__dirname, "..", "..");

// The script runs the CLI (the compiled package, as a user would) seven times, checking offline.
jest.setTimeout(300_000);

describe("examples/promotion-walkthrough", () => {
  it("replays stage → blocked → attest → promote → check → rollback", () => {
    const out = execFileSync(
      "bash",
      [path.join(REPO, "examples", "promotion-walkthrough", "walkthrough.sh")],
      {
        encoding: "utf8",
        env: {
          ...process.env,
          GLOBAL_IMAGE_CLI: `node ${path.join(REPO, "dist", "src", "cli", "index.js")}`,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    expect(out).toContain("✖ win11 1.1.0 may not be activated:");
    expect(out).toContain("cannot be active: there is no test evidence");
    expect(out).toMatch(
      /galleryImageVersionName|publishingProfile\.excludeFromLatest: true → false/,
    );
    expect(out).toContain(
      "✔ no existing image version, protected resource or production consumer is deleted or replaced",
    );
    expect(out).toContain("✔ Rolled back win11: 1.1.0 → 1.0.0");
    expect(out.trim().endsWith("walkthrough complete")).toBe(true);
  });
});
