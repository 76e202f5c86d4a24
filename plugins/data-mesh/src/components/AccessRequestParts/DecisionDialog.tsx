import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  AccessRequest,
  approveAccessRequestSchema,
  rejectAccessRequestSchema,
  revokeAccessRequestSchema,
} from '@data-mesh-portal/plugin-data-mesh-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import { Theme } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useState } from 'react';
import { dataMeshAccessRequestsApiRef } from '../../api/AccessRequestsClient';
import { days, fieldErrors, shortRef } from './format';

/** What a reviewer or requester can decide on a request. */
export type AccessDecision = 'approve' | 'reject' | 'withdraw' | 'revoke';

const TITLES: Record<AccessDecision, string> = {
  approve: 'Approve access request',
  reject: 'Reject access request',
  withdraw: 'Withdraw your request',
  revoke: 'Revoke access',
};

const CONFIRM: Record<AccessDecision, string> = {
  approve: 'Approve and grant',
  reject: 'Reject',
  withdraw: 'Withdraw request',
  revoke: 'Revoke access',
};

const TEXT_LABEL: Record<AccessDecision, string> = {
  approve: 'Comment (optional)',
  reject: 'Reason',
  withdraw: 'Reason (optional)',
  revoke: 'Reason (optional)',
};

function describe(decision: AccessDecision, request: AccessRequest): string {
  const what = request.entityTitle ?? shortRef(request.entityRef);
  const team = shortRef(request.teamRef);
  switch (decision) {
    case 'approve':
      return `${team} gets ${
        request.accessLevel
      } access to ${what} as soon as you approve; the grant is made in AWS right away. You can grant fewer days than the ${days(
        request.requestedDurationDays,
      )} requested.`;
    case 'reject':
      return `${shortRef(
        request.requesterRef,
      )} is told the reason, so say what would make the request acceptable.`;
    case 'withdraw':
      return `The reviewers of ${what} will no longer see this request. You can make a new one at any time.`;
    default:
      return `${team} loses access to ${what} in AWS right away. The requester is notified.`;
  }
}

function successMessage(decision: AccessDecision, result: AccessRequest) {
  const team = shortRef(result.teamRef);
  switch (decision) {
    case 'approve':
      return result.status === 'active'
        ? `Access granted to ${team} for ${days(
            result.grantedDurationDays ?? result.requestedDurationDays,
          )}`
        : `Approved; the grant is ${result.status}`;
    case 'reject':
      return 'Request rejected; the requester is told why';
    case 'withdraw':
      return 'Request withdrawn';
    default:
      return `Access of ${team} revoked`;
  }
}

/**
 * Confirms one decision on a request (approve, optionally for fewer days;
 * reject with a reason; withdraw; revoke), validated with the same schemas
 * the backend applies, and shows the backend's message when it refuses.
 */
export function DecisionDialog(props: {
  decision: AccessDecision;
  request: AccessRequest;
  open: boolean;
  onClose: () => void;
  onDone: (result: AccessRequest) => void;
}) {
  const { decision, request, open, onClose, onDone } = props;
  const api = useApi(dataMeshAccessRequestsApiRef);
  const alertApi = useApi(alertApiRef);
  const fullScreen = useMediaQuery((theme: Theme) =>
    theme.breakpoints.down('xs'),
  );
  const [text, setText] = useState('');
  const [duration, setDuration] = useState(
    String(request.requestedDurationDays),
  );
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<string>();

  const textField = decision === 'approve' ? 'comment' : 'reason';
  const validate = (): Record<string, string> => {
    const trimmed = text.trim();
    if (decision === 'approve') {
      const durationDays = duration.trim() === '' ? NaN : Number(duration);
      const result = approveAccessRequestSchema.safeParse({
        durationDays,
        ...(trimmed ? { comment: trimmed } : {}),
      });
      const errors = result.success
        ? {}
        : fieldErrors(result.error.issues, {
            durationDays: 'Duration',
            comment: 'Comment',
          });
      if (
        !errors.durationDays &&
        durationDays > request.requestedDurationDays
      ) {
        errors.durationDays = `Duration can shorten the requested ${days(
          request.requestedDurationDays,
        )}, not extend it`;
      }
      return errors;
    }
    const schema =
      decision === 'reject'
        ? rejectAccessRequestSchema
        : revokeAccessRequestSchema;
    const result = schema.safeParse(trimmed ? { reason: trimmed } : {});
    return result.success
      ? {}
      : fieldErrors(result.error.issues, { reason: 'Reason', '': 'Reason' });
  };
  const errors = submitted ? validate() : {};

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(validate()).length > 0) return;
    setBusy(true);
    setServerError(undefined);
    const trimmed = text.trim();
    try {
      let result: AccessRequest;
      if (decision === 'approve') {
        const durationDays = Number(duration);
        result = await api.approveAccessRequest(request.id, {
          ...(durationDays !== request.requestedDurationDays
            ? { durationDays }
            : {}),
          ...(trimmed ? { comment: trimmed } : {}),
        });
      } else if (decision === 'reject') {
        result = await api.rejectAccessRequest(request.id, { reason: trimmed });
      } else if (decision === 'withdraw') {
        result = await api.withdrawAccessRequest(
          request.id,
          trimmed ? { reason: trimmed } : {},
        );
      } else {
        result = await api.revokeAccessRequest(
          request.id,
          trimmed ? { reason: trimmed } : {},
        );
      }
      if (result.status === 'failed') {
        // The decision stands but AWS refused; the dialog says what exists.
        setServerError(
          result.failureReason ?? 'Applying the decision in AWS failed',
        );
        onDone(result);
        return;
      }
      alertApi.post({
        message: successMessage(decision, result),
        severity: 'success',
        display: 'transient',
      });
      onDone(result);
      onClose();
    } catch (e) {
      setServerError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const titleId = `decision-title-${decision}-${request.id}`;
  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onClose}
      aria-labelledby={titleId}
      fullScreen={fullScreen}
      fullWidth
      maxWidth="sm"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>{TITLES[decision]}</DialogTitle>
        <DialogContent>
          <DialogContentText>{describe(decision, request)}</DialogContentText>
          {decision === 'approve' && (
            <TextField
              id={`approve-duration-${request.id}`}
              label="Grant for (days)"
              type="number"
              value={duration}
              onChange={e => setDuration(e.target.value)}
              inputProps={{
                min: 1,
                max: request.requestedDurationDays,
                step: 1,
              }}
              error={!!errors.durationDays}
              helperText={
                errors.durationDays ??
                `1 to ${request.requestedDurationDays} (requested)`
              }
              margin="normal"
              fullWidth
              required
            />
          )}
          <TextField
            id={`${decision}-${textField}-${request.id}`}
            label={TEXT_LABEL[decision]}
            value={text}
            onChange={e => setText(e.target.value)}
            error={!!(errors[textField] ?? errors[''])}
            helperText={
              errors[textField] ??
              errors[''] ??
              (decision === 'reject'
                ? 'Required: the requester sees it'
                : 'Plain text; the requester sees it')
            }
            required={decision === 'reject'}
            multiline
            minRows={2}
            margin="normal"
            fullWidth
          />
          {serverError && (
            <Alert severity="error" role="alert">
              {serverError}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy}>
            {serverError && decision === 'approve' ? 'Close' : 'Cancel'}
          </Button>
          <Button
            type="submit"
            color={decision === 'approve' ? 'primary' : 'secondary'}
            variant="contained"
            disabled={busy}
          >
            {busy ? 'Working…' : CONFIRM[decision]}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
