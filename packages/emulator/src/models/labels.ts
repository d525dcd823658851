import { NotFound, ValidationFailed, type ValidationErrorItem } from '../errors.js'
import { LABEL_DESCRIPTION_MAX_CHARS, LABEL_NAME_MAX_CHARS } from '../limits.js'
import type { LabelRecord, RepoRecord, Store } from '../state.js'
import type { ReposModel } from './repos.js'
import type { Caller } from './users.js'

/** Body of `issues/create-label` (`new_name` only for `issues/update-label`). */
export interface LabelInput {
  name?: string
  new_name?: string
  color?: string
  description?: string | null
}

/** Colour GitHub gives labels it creates on the fly (docs/github-behaviour.md §3.4). */
export const AUTO_LABEL_COLOR = 'ededed'

/**
 * Lookups by id and by lower-cased name over one repository's `labels` array. Derived state,
 * never persisted: it belongs to the array it was built from, takes in the labels appended to it
 * (a create), and is rebuilt when that array is replaced (a delete, a restart from `--data`) or
 * a label is renamed. gh-store gives every object its own `UID:` label, so a scan per lookup,
 * or a rebuild per create, would be quadratic in the objects.
 */
interface LabelIndex {
  source: LabelRecord[]
  size: number
  byId: Map<number, LabelRecord>
  byName: Map<string, LabelRecord>
}

const indexes = new WeakMap<RepoRecord, LabelIndex>()

function labelIndex(repo: RepoRecord): LabelIndex {
  let index = indexes.get(repo)
  if (!index || index.source !== repo.labels || index.size > repo.labels.length) {
    index = { source: repo.labels, size: 0, byId: new Map(), byName: new Map() }
    indexes.set(repo, index)
  }
  for (; index.size < repo.labels.length; index.size++) {
    const l = repo.labels[index.size]
    index.byId.set(l.id, l)
    // The first label of a name wins, as `Array.find` did.
    const key = l.name.toLowerCase()
    if (!index.byName.has(key)) index.byName.set(key, l)
  }
  return index
}

/** The label of `repo` with this id (labels on issues are stored by id), or `undefined`. */
export function labelById(repo: RepoRecord, id: number): LabelRecord | undefined {
  return labelIndex(repo).byId.get(id)
}

/** The labels of `repo` with these ids, in their order; ids of deleted labels are left out. */
export function labelsWithIds(repo: RepoRecord, ids: readonly number[]): LabelRecord[] {
  const out: LabelRecord[] = []
  for (const id of ids) {
    const label = labelById(repo, id)
    if (label) out.push(label)
  }
  return out
}

/** Labels of a repository (docs/github-behaviour.md §3.4, §8 item 14). */
export class LabelsModel {
  constructor(
    private readonly s: Store,
    private readonly repos: ReposModel
  ) {}

  /** The label called `name` (case-insensitive), or `undefined`. */
  findByName(repo: RepoRecord, name: string): LabelRecord | undefined {
    return labelIndex(repo).byName.get(name.toLowerCase())
  }

  /** `issues/list-labels-for-repo`: all labels, sorted by name (case-insensitive). */
  listLabelsForRepo(caller: Caller | null, owner: string, name: string) {
    const repo = this.repos.access(caller, owner, name, 'read')
    return { repo, labels: sortLabels(repo.labels) }
  }

  /**
   * `issues/create-label`. Throws 422 `Validation Failed`: `already_exists` on a duplicate
   * name (case-insensitive), `custom` for a name over 50 or a description over 100 characters,
   * `invalid` for a colour that is not 6 hex digits.
   */
  createLabel(caller: Caller | null, owner: string, name: string, input: LabelInput) {
    const repo = this.repos.access(caller, owner, name, 'write')
    if (!input.name) throw new ValidationFailed([labelError('missing_field', 'name')])
    this.checkName(repo, input.name, null)
    const label: LabelRecord = {
      id: this.s.nextId(),
      name: input.name,
      color: checkColor(input.color) ?? AUTO_LABEL_COLOR,
      description: checkDescription(input.description) ?? null,
      default: false
    }
    repo.labels.push(label)
    return { repo, label }
  }

  /** `issues/get-label`: throws `NotFound` when the repository has no such label. */
  getLabel(caller: Caller | null, owner: string, name: string, label: string) {
    const repo = this.repos.access(caller, owner, name, 'read')
    return { repo, label: this.getByName(repo, label) }
  }

  /** `issues/update-label`: rename (`new_name`), recolour, redescribe. Same 422s as create. */
  updateLabel(
    caller: Caller | null,
    owner: string,
    name: string,
    label: string,
    input: LabelInput
  ) {
    const repo = this.repos.access(caller, owner, name, 'write')
    const record = this.getByName(repo, label)
    const newName = input.new_name ?? input.name
    if (newName !== undefined && newName !== record.name) {
      this.checkName(repo, newName, record)
      record.name = newName
      indexes.delete(repo)
    }
    const color = checkColor(input.color)
    if (color !== undefined) record.color = color
    const description = checkDescription(input.description)
    if (description !== undefined) record.description = description
    return { repo, label: record }
  }

  /** `issues/delete-label`: removes it from the repository and from every issue. */
  deleteLabel(caller: Caller | null, owner: string, name: string, label: string): void {
    const repo = this.repos.access(caller, owner, name, 'write')
    const record = this.getByName(repo, label)
    repo.labels = repo.labels.filter((l) => l !== record)
    for (const issue of Object.values(repo.issues))
      issue.labels = issue.labels.filter((id) => id !== record.id)
  }

  /** The labels called `names`; missing ones are created with colour `ededed` (§3.4). */
  resolveOrCreate(repo: RepoRecord, names: string[]): LabelRecord[] {
    const result: LabelRecord[] = []
    for (const n of names) {
      let label = this.findByName(repo, n)
      if (!label) {
        this.checkName(repo, n, null)
        label = {
          id: this.s.nextId(),
          name: n,
          color: AUTO_LABEL_COLOR,
          description: null,
          default: false
        }
        repo.labels.push(label)
      }
      if (!result.includes(label)) result.push(label)
    }
    return result
  }

  private getByName(repo: RepoRecord, name: string): LabelRecord {
    const label = this.findByName(repo, name)
    if (!label) throw new NotFound()
    return label
  }

  private checkName(repo: RepoRecord, name: string, self: LabelRecord | null): void {
    if (name.trim() === '') throw new ValidationFailed([labelError('missing_field', 'name')])
    if (name.length > LABEL_NAME_MAX_CHARS)
      throw new ValidationFailed([
        labelError(
          'custom',
          'name',
          `name is too long (maximum is ${LABEL_NAME_MAX_CHARS} characters)`
        )
      ])
    const other = this.findByName(repo, name)
    if (other && other !== self) throw new ValidationFailed([labelError('already_exists', 'name')])
  }
}

/** Labels sorted by name, case-insensitive, as GitHub lists them. */
export function sortLabels(labels: LabelRecord[]): LabelRecord[] {
  return [...labels].sort((a, b) => {
    const x = a.name.toLowerCase()
    const y = b.name.toLowerCase()
    return x < y ? -1 : x > y ? 1 : 0
  })
}

function labelError(code: string, field: string, message?: string): ValidationErrorItem {
  return { resource: 'Label', code, field, ...(message ? { message } : {}) }
}

function checkColor(color: string | undefined): string | undefined {
  if (color === undefined) return undefined
  const hex = color.replace(/^#/, '')
  if (!/^[0-9a-fA-F]{6}$/.test(hex)) throw new ValidationFailed([labelError('invalid', 'color')])
  return hex.toLowerCase()
}

function checkDescription(description: string | null | undefined): string | null | undefined {
  if (typeof description === 'string' && description.length > LABEL_DESCRIPTION_MAX_CHARS)
    throw new ValidationFailed([
      labelError(
        'custom',
        'description',
        `description is too long (maximum is ${LABEL_DESCRIPTION_MAX_CHARS} characters)`
      )
    ])
  return description
}
