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
