import { isRfc3339, parseRfc3339, toArmDateTime } from "../../../src/domain/common/time";

describe("parseRfc3339", () => {
  it.each([
    ["2026-11-20T09:30:00Z", Date.UTC(2026, 10, 20, 9, 30)],
    ["2026-11-20t09:30:00z", Date.UTC(2026, 10, 20, 9, 30)],
    ["2026-11-20T10:30:00+01:00", Date.UTC(2026, 10, 20, 9, 30)],
    ["2026-11-20T09:30:00.250Z", Date.UTC(2026, 10, 20, 9, 30, 0, 250)],
    ["2024-02-29T00:00:00Z", Date.UTC(2024, 1, 29)],
  ])("reads %s", (text, ms) => {
    expect(parseRfc3339(text)).toBe(ms);
    expect(isRfc3339(text)).toBe(true);
  });

  it.each([
    "2026-11-20",
    "2026-11-20T09:30Z",
    "2026-11-20T09:30:00",
    "2026-11-20 09:30:00Z",
    "2025-02-29T00:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-11-20T24:00:00Z",
    "20 Nov 2026 09:30:00 GMT",
    "",
  ])("refuses %j", (text) => {
    expect(parseRfc3339(text)).toBeUndefined();
  });
});

describe("toArmDateTime", () => {
  it.each([
    ["2027-06-30", "2027-06-30T00:00:00Z"],
    ["2027-06-30T12:00Z", "2027-06-30T12:00:00Z"],
    ["2027-06-30T12:00:00+02:00", "2027-06-30T10:00:00Z"],
    ["2027-06-30T12:00:00Z", "2027-06-30T12:00:00Z"],
  ])("sends %s as %s", (given, sent) => {
    expect(toArmDateTime(given)).toBe(sent);
    expect(isRfc3339(toArmDateTime(given))).toBe(true);
  });
});
