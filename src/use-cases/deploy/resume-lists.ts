/**
 * The Deployment lists the start's resume reads per environment, shared by the survey that decides
 * whether anything is in flight (resume-on-start.ts) and the resumes that drive it
 * (resume-deploys.ts, start-canary-analysis.ts), so both read the same records.
 */

/** How many of this App's newest records are read: per environment, and per canary environment. */
export const RESUME_LIST_LIMITS = { deploys: 20, analyses: 10 } as const;

/** The GitHub environment of an environment's canary analyses. */
export const analysisEnvironment = (env: string): string => `${env}-canary`;
