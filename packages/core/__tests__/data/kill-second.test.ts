// Issue 12: kill -9 of a backup worker at the odd-numbered of 20 points, then of 4 restores
// (support/kill.ts has the scenario; kill.test.ts the even-numbered points).
import { describeKills } from './support/kill.js'

describeKills(1)
