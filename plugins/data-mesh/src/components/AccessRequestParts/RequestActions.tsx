import { AccessRequest } from '@data-mesh-portal/plugin-data-mesh-common';
import Button from '@material-ui/core/Button';
import { useState } from 'react';
import { AccessDecision, DecisionDialog } from './DecisionDialog';

/**
 * The buttons for the decisions a person may take on a request, each
 * opening its confirmation dialog. Which ones show is up to the caller (the
 * backend still checks every action).
 */
export function RequestActions(props: {
  request: AccessRequest;
  decisions: AccessDecision[];
  onChanged: (result: AccessRequest) => void;
}) {
  const { request, decisions, onChanged } = props;
  const [open, setOpen] = useState<AccessDecision>();
  const describedBy = `access-request-${request.id}`;
  const label: Record<AccessDecision, string> = {
    approve: 'Approve',
    reject: 'Reject',
    withdraw: 'Withdraw',
    revoke: 'Revoke',
  };
  return (
    <>
      {decisions.map(decision => (
        <Button
          key={decision}
          size="small"
          variant={decision === 'approve' ? 'contained' : 'outlined'}
          color={decision === 'approve' ? 'primary' : 'default'}
          aria-describedby={describedBy}
          onClick={() => setOpen(decision)}
        >
          {label[decision]}
        </Button>
      ))}
      {open && (
        <DecisionDialog
          decision={open}
          request={request}
          open
          onClose={() => setOpen(undefined)}
          onDone={onChanged}
        />
      )}
    </>
  );
}

/** The decisions a reviewer can take on a request in its current status. */
export function reviewerDecisions(
  request: AccessRequest,
  canRevoke = true,
): AccessDecision[] {
  if (request.status === 'pending') return ['approve', 'reject'];
  if (
    canRevoke &&
    (request.status === 'active' || request.status === 'failed')
  ) {
    return ['revoke'];
  }
  return [];
}
