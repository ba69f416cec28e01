// Jest globalTeardown: see contractRun.ts.
import { teardown } from "./contractRun";

export default teardown;
