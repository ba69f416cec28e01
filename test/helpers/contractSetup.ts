// Jest globalSetup: see contractRun.ts.
import { setup } from "./contractRun";

export default setup;
