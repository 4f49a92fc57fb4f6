/** Every function the Gantry object exposes, as the engine lists them. */
export const GANTRY_FUNCTIONS = [
  "build",
  "buildArtifacts",
  "ci",
  "coverage",
  "dockerfile",
  "image",
  "lighthouse",
  "lint",
  "loadTest",
  "release",
  "scan",
  "sizeBaseline",
  "target",
  "test",
  "typecheck",
  "workspace",
];

/** Every function of the object `target` returns: what acts on an environment's Docker host. */
export const TARGET_FUNCTIONS = [
  "backup",
  "deploy",
  "destroy",
  "restore",
  "restoreTest",
  "rollback",
];
