// Issue 12: kill -9 of a backup worker at the even-numbered of 20 points (support/kill.ts has the
// scenario; kill-second.test.ts the odd-numbered points and the killed restores).
import { describeKills } from './support/kill.js'

describeKills(0)
