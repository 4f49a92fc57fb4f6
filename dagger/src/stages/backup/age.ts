import { dag, type Container } from "@dagger.io/dagger";
import type { GantryConfig } from "../../core/config.js";

/**
 * A container with `age` on PATH: images.age, else Debian's age package installed on images.debian, since the age
 * project publishes no container image. The install is one cached layer, so only the first use pays for it.
 */
export function ageContainer(config: GantryConfig): Container {
  const { age, debian } = config.images;
  if (age) return dag.container().from(age);
  return dag
    .container()
    .from(debian)
    .withExec([
      "sh",
      "-c",
      "apt-get update -qq && apt-get install -y -qq --no-install-recommends age >/dev/null && rm -rf /var/lib/apt/lists/* && age --version",
    ]);
}
