/** A duration as every report line prints it: seconds with one decimal and a unit, e.g. "12.3 s". */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
