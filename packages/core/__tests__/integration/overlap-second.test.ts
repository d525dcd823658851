// Issue 10 item 1: overlapping processors under the lease, the second 100 of its 200 trials
// (support/overlap.ts has the scenario; overlap.test.ts the first 100).
import { describeOverlapTrials } from '../support/overlap.js'

describeOverlapTrials(20261203)
