/** A problem with the user's input (e.g. `--version`, `repository`), meant to be shown as is. */
export class ReleaseInputError extends Error {
  override name = "ReleaseInputError";
}
