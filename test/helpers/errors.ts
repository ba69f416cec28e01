import { GlobalImageError, isGlobalImageError } from "../../src/domain/common/errors";

/** The GlobalImageError `fn` throws; fails the test if it throws nothing or something else. */
export function errorOf(fn: () => unknown): GlobalImageError {
  try {
    fn();
  } catch (err) {
    if (isGlobalImageError(err)) return err;
    throw err;
  }
  throw new Error("expected a GlobalImageError, nothing was thrown");
}
