/** Every function the Gantry object exposes, as the engine lists them. */
export const GANTRY_FUNCTIONS = [
  "build",
  "buildArtifacts",
  "ci",
  "coverage",
  "deploy",
  "destroy",
  "dockerfile",
  "image",
  "lint",
  "loadTest",
  "release",
  "rollback",
  "scan",
  "test",
  "typecheck",
  "workspace",
];
