import createPreset from "conventional-changelog-conventionalcommits";
import type { ParserOptions } from "conventional-commits-parser";
import type { Options as WriterOptions } from "conventional-changelog-writer";

/** The parts of the conventionalcommits preset used here; its own typings declare the preset as `{}`. */
interface ConventionalCommitsPreset {
  parser: ParserOptions;
  writer: WriterOptions;
}

/** The conventionalcommits preset (default types and sections), shared by the parser and the changelog writer. */
export const preset = createPreset() as ConventionalCommitsPreset;

export { DEFAULT_COMMIT_TYPES } from "conventional-changelog-conventionalcommits";
