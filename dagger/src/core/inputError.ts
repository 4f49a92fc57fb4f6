/** A problem with the user's input (a flag, the config file), meant to be shown as is: what was given, what was expected. */
export class InputError extends Error {
  override name = "InputError";
}
