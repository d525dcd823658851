// Issue 10 item 1: overlapping processors under the lease, the first 100 of its 200 trials
// (support/overlap.ts has the scenario; overlap-second.test.ts the other 100).
import { describeOverlapTrials } from '../support/overlap.js'

describeOverlapTrials(20261202)
