/**
 * vCPU and memory of the VM sizes AVD session hosts commonly use. The host pool's `vmTemplate`
 * records them (`vmSize.cores`, `vmSize.ram`) the way the portal does; for a size not listed here
 * the caller gives `vmCores` and `vmRamGB`.
 */

/** vCPUs and memory (GiB) of a VM size. */
export interface VmSizeSpec {
  readonly cores: number;
  readonly ram: number;
}

const SERIES: ReadonlyArray<[prefix: string, suffixes: string[], ramPerCore: number]> = [
  // General purpose, 4 GiB per vCPU.
  [
    "Standard_D",
    ["s_v5", "as_v5", "ds_v5", "ads_v5", "s_v4", "as_v4", "ds_v4", "s_v3", "_v5", "_v4", "_v3"],
    4,
  ],
  // Memory optimised, 8 GiB per vCPU.
  [
    "Standard_E",
    ["s_v5", "as_v5", "ds_v5", "ads_v5", "s_v4", "as_v4", "ds_v4", "s_v3", "_v5", "_v4", "_v3"],
    8,
  ],
  // Compute optimised, 2 GiB per vCPU.
  ["Standard_F", ["s_v2"], 2],
];
const CORE_COUNTS = [2, 4, 8, 16, 32, 48, 64];

function buildTable(): Map<string, VmSizeSpec> {
  const table = new Map<string, VmSizeSpec>();
  for (const [prefix, suffixes, ramPerCore] of SERIES) {
    for (const suffix of suffixes) {
      for (const cores of CORE_COUNTS) {
        table.set(`${prefix}${cores}${suffix}`.toLowerCase(), { cores, ram: cores * ramPerCore });
      }
    }
  }
  // Burstable sizes used for small pools and validation pools.
  const burstable: Array<[string, number, number]> = [
    ["Standard_B2s", 2, 4],
    ["Standard_B2ms", 2, 8],
    ["Standard_B4ms", 4, 16],
    ["Standard_B8ms", 8, 32],
  ];
  for (const [name, cores, ram] of burstable) table.set(name.toLowerCase(), { cores, ram });
  // GPU sizes for graphics workloads.
  const gpu: Array<[string, number, number]> = [
    ["Standard_NV6ads_A10_v5", 6, 55],
    ["Standard_NV12ads_A10_v5", 12, 110],
    ["Standard_NV36ads_A10_v5", 36, 440],
  ];
  for (const [name, cores, ram] of gpu) table.set(name.toLowerCase(), { cores, ram });
  return table;
}

const TABLE = buildTable();

/** The vCPUs and memory of a known size (case-insensitive), or `undefined`. */
export function knownVmSize(size: string): VmSizeSpec | undefined {
  return TABLE.get(size.toLowerCase());
}
