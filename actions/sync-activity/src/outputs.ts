import type { OutputValue } from '@hubstore/action-kit'
import { Outputs } from './constants.js'
import type { StepJob } from './work.js'

/** Every output of a step. */
type StepOutputs = Record<Outputs, OutputValue>

/** The status output of a rerun whose event was already in the database (no job ran). */
export const DUPLICATE = 'duplicate'

/**
 * The job's id, status (`succeeded`, `failed`, `stopped`, or {@link DUPLICATE}), counts per kind as JSON
 * (`{"repositories":1,"commits":3,…}`), and the REST requests and GraphQL points it spent.
 */
export function jobOutputs(r: StepJob): StepOutputs {
  const job = r.job
  return {
    [Outputs.JobId]: job?.id,
    [Outputs.Status]: job?.status ?? DUPLICATE,
    [Outputs.Counts]: job ? JSON.stringify(JSON.parse(job.counts)) : '{}',
    [Outputs.RestRequests]: job?.rest_requests ?? 0,
    [Outputs.GraphqlPoints]: job?.graphql_points ?? 0
  }
}
