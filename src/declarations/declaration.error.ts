export type DeclarationRule =
  | 'missing-entity-decorator'
  | 'missing-field-decorator'
  | 'invalid-standard-id'
  | 'duplicate-standard-id'
  | 'duplicate-object-name'
  | 'duplicate-field-name'
  | 'invalid-name'
  | 'reserved-name'
  | 'name-too-long'
  | 'unknown-field-type'
  | 'column-name-collision'
  | 'relation-target-unknown'
  | 'relation-inverse-missing'
  | 'relation-inverse-mismatch'
  | 'relation-on-delete-invalid'
  | 'invalid-default-value'
  | 'non-nullable-without-default'
  | 'select-options-missing'
  | 'select-options-not-unique'
  | 'invalid-option-value'
  | 'options-not-allowed'
  | 'invalid-label-identifier'
  | 'index-unknown-field'
  | 'invalid-search-field';

export interface DeclarationIssue {
  className: string;
  propertyName: string | null;
  rule: DeclarationRule;
  message: string;
}

export const formatDeclarationIssue = (issue: DeclarationIssue): string =>
  `${issue.className}${issue.propertyName ? `.${issue.propertyName}` : ''} [${issue.rule}]: ${issue.message}`;

/** Raised at start-up when a declaration set breaks a rule; lists every issue, not just the first. */
export class DeclarationError extends Error {
  constructor(readonly issues: DeclarationIssue[]) {
    super(
      `Invalid declarations (${issues.length} issue${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((issue) => `  - ${formatDeclarationIssue(issue)}`).join('\n'),
    );
    this.name = 'DeclarationError';
  }
}
