import { processIo, styles } from "../../src/cli/io";

describe("terminal output", () => {
  const io = (color: boolean) => ({ ...processIo(), color });

  it("colours only when the io says so", () => {
    expect(styles(io(false)).red("x")).toBe("x");
    expect(styles(io(true)).red("x")).toBe("\u001b[31mx\u001b[39m");
  });

  it("turns colour off with NO_COLOR, even on a terminal", () => {
    const tty = process.stdout.isTTY;
    const noColor = process.env.NO_COLOR;
    try {
      Object.defineProperty(process.stdout, "isTTY", { value: true, configurable: true });
      process.env.NO_COLOR = "1";
      expect(processIo().color).toBe(false);
      delete process.env.NO_COLOR;
      expect(processIo().color).toBe(true);
    } finally {
      Object.defineProperty(process.stdout, "isTTY", { value: tty, configurable: true });
      if (noColor === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = noColor;
    }
  });
});

describe("the clock", () => {
  const saved = process.env.GLOBAL_IMAGE_NOW;
  afterEach(() => {
    if (saved === undefined) delete process.env.GLOBAL_IMAGE_NOW;
    else process.env.GLOBAL_IMAGE_NOW = saved;
  });

  it("is GLOBAL_IMAGE_NOW when set, as the components read it", () => {
    process.env.GLOBAL_IMAGE_NOW = "2026-12-12T22:00:00+01:00";
    expect(processIo().now().toISOString()).toBe("2026-12-12T21:00:00.000Z");
  });

  it("refuses a GLOBAL_IMAGE_NOW that is not an RFC 3339 date-time, naming it", () => {
    process.env.GLOBAL_IMAGE_NOW = "tomorrow";
    expect(() => processIo().now()).toThrow(
      'GLOBAL_IMAGE_NOW is not an RFC 3339 date-time (received "tomorrow")',
    );
  });

  it("is the real clock when unset", () => {
    delete process.env.GLOBAL_IMAGE_NOW;
    const before = Date.now();
    const now = processIo().now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
