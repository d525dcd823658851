import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { Harness, problems, type ScenarioGroup } from './harness.js'

/**
 * Declares one Jest test per scenario of `group`, on one recording emulator: each test
 * fails with the scenario's own error or with every exchange that broke the description.
 */
export function conformanceTests(group: ScenarioGroup): void {
  let h: Harness
  beforeAll(async () => {
    h = await Harness.start()
  })
  afterAll(async () => {
    await h.close()
  })
  for (const scenario of group.scenarios)
    test(scenario.title, async () => {
      expect(problems(await h.run(scenario))).toEqual([])
    })
}
