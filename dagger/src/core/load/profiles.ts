import type { LoadTestConfig } from "../config.js";

/** One stretch of a profile: `rate` iterations started per second, ramping linearly to `rampTo` when set. */
export interface LoadStage {
  seconds: number;
  rate: number;
  rampTo?: number;
}

/** The schedule both runners are given, translated into their own terms by the functions below. */
export interface LoadSchedule {
  stages: LoadStage[];
  maxVirtualUsers: number;
  requestTimeoutSeconds: number;
}

/** A fixed-shape profile's schedule from the config. */
export function scheduleOf(
  config: LoadTestConfig,
  stages: LoadStage[],
): LoadSchedule {
  return {
    stages,
    maxVirtualUsers: config.maxVirtualUsers,
    requestTimeoutSeconds: config.requestTimeoutSeconds,
  };
}

/** Seconds of load the schedule asks for. */
export function plannedSeconds(schedule: LoadSchedule): number {
  return schedule.stages.reduce((total, stage) => total + stage.seconds, 0);
}

/** Iterations the schedule starts at most: the integral of the arrival rate, so the request count is bounded too. */
export function plannedIterations(schedule: LoadSchedule): number {
  return Math.ceil(
    schedule.stages.reduce(
      (total, { seconds, rate, rampTo = rate }) =>
        total + (seconds * (rate + rampTo)) / 2,
      0,
    ),
  );
}

/**
 * The wall-time bound on a runner: the load itself, the last requests' timeout, and the runner's own start and
 * summary. The runner is killed past it, which reports the stage as broken rather than letting it hang.
 */
export function runnerDeadlineSeconds(schedule: LoadSchedule): number {
  return plannedSeconds(schedule) + schedule.requestTimeoutSeconds + 60;
}

/** Artillery's config overrides (`--overrides`): phases replace the script's, http.timeout bounds each request. */
export function artilleryOverrides(schedule: LoadSchedule): object {
  return {
    config: {
      phases: schedule.stages.map(({ seconds, rate, rampTo }) => ({
        duration: seconds,
        arrivalRate: rate,
        ...(rampTo === undefined ? {} : { rampTo }),
        maxVusers: schedule.maxVirtualUsers,
      })),
      http: { timeout: schedule.requestTimeoutSeconds },
    },
  };
}

/**
 * k6's scenario for the schedule: the ramping-arrival-rate executor (an open model like Artillery's phases), one
 * iteration per second as its time unit. A stage starting at another rate than the last one ended at jumps there
 * first (a zero-length stage), as Artillery's phases do.
 */
export function k6Scenario(schedule: LoadSchedule): object {
  const [first] = schedule.stages;
  const stages: { target: number; duration: string }[] = [];
  let current = first.rate;
  for (const { seconds, rate, rampTo = rate } of schedule.stages) {
    if (rate !== current) stages.push({ target: rate, duration: "0s" });
    stages.push({ target: rampTo, duration: `${seconds}s` });
    current = rampTo;
  }
  return {
    executor: "ramping-arrival-rate",
    startRate: first.rate,
    timeUnit: "1s",
    preAllocatedVUs: Math.min(schedule.maxVirtualUsers, 10),
    maxVUs: schedule.maxVirtualUsers,
    stages,
    gracefulStop: `${schedule.requestTimeoutSeconds}s`,
  };
}
