import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  ACCESS_LEVELS,
  AccessLevel,
  AccessRequest,
  createAccessRequestSchema,
} from '@data-mesh-portal/plugin-data-mesh-common';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import { Theme } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useState } from 'react';
import { dataMeshAccessRequestsApiRef } from '../../api/AccessRequestsClient';
import {
  ACCESS_LEVEL_LABEL,
  AccessPolicy,
  days,
  fieldErrors,
  UserTeam,
} from '../AccessRequestParts';

/** A dataset of the product, offered for a narrower request. */
export interface DatasetOption {
  ref: string;
  title: string;
}

const LABELS = {
  entityRef: 'Dataset',
  teamRef: 'Team',
  purpose: 'Purpose',
  accessLevel: 'Access level',
  durationDays: 'Duration',
};

/**
 * The *Request access* form: what (the whole product or some of its
 * datasets), for which of the user's teams, why, which access level and for
 * how long within the portal's policy. Validated with the backend's own
 * schema before anything is sent; one request per dataset chosen.
 */
export function RequestAccessDialog(props: {
  open: boolean;
  onClose: () => void;
  entityRef: string;
  entityTitle: string;
  isProduct: boolean;
  datasets: DatasetOption[];
  teams: UserTeam[];
  policy: AccessPolicy;
  onSubmitted: (created: AccessRequest[]) => void;
}) {
  const {
    open,
    onClose,
    entityRef,
    entityTitle,
    isProduct,
    datasets,
    teams,
    policy,
    onSubmitted,
  } = props;
  const api = useApi(dataMeshAccessRequestsApiRef);
  const alertApi = useApi(alertApiRef);
  const fullScreen = useMediaQuery((theme: Theme) =>
    theme.breakpoints.down('xs'),
  );
  const [scope, setScope] = useState<'product' | 'datasets'>('product');
  const [selected, setSelected] = useState<string[]>([]);
  const [teamRef, setTeamRef] = useState(teams[0]?.ref ?? '');
  const [purpose, setPurpose] = useState('');
  const [accessLevel, setAccessLevel] = useState<AccessLevel>('read');
  const [duration, setDuration] = useState(String(policy.defaultDurationDays));
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverErrors, setServerErrors] = useState<string[]>([]);

  const targets = isProduct && scope === 'datasets' ? selected : [entityRef];
  const durationDays = duration.trim() === '' ? NaN : Number(duration);
  const bodyFor = (ref: string) => ({
    entityRef: ref,
    teamRef,
    purpose,
    accessLevel,
    durationDays,
  });

  const validate = (): Record<string, string> => {
    const result = createAccessRequestSchema.safeParse(
      bodyFor(targets[0] ?? entityRef),
    );
    const errors = result.success
      ? {}
      : fieldErrors(result.error.issues, LABELS);
    if (!teamRef) {
      errors.teamRef = 'Team is required: access is granted to a team';
    }
    if (!errors.durationDays && durationDays > policy.maxDurationDays) {
      errors.durationDays = `Duration must be at most ${days(
        policy.maxDurationDays,
      )} (the portal's policy)`;
    }
    if (targets.length === 0) {
      errors.datasets =
        'Choose at least one dataset, or ask for the whole data product';
    }
    return errors;
  };
  const errors = submitted ? validate() : {};

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(validate()).length > 0) return;
    setBusy(true);
    setServerErrors([]);
    const created: AccessRequest[] = [];
    const failures: string[] = [];
    const failedRefs: string[] = [];
    for (const ref of targets) {
      try {
        created.push(await api.createAccessRequest(bodyFor(ref)));
      } catch (e) {
        const name =
          targets.length > 1
            ? `${datasets.find(d => d.ref === ref)?.title ?? ref}: `
            : '';
        failures.push(`${name}${(e as Error).message}`);
        failedRefs.push(ref);
      }
    }
    setBusy(false);
    if (created.length > 0) onSubmitted(created);
    if (failures.length > 0) {
      setServerErrors(failures);
      // Keep only what still needs sending, so a retry does not duplicate.
      if (scope === 'datasets') setSelected(failedRefs);
      return;
    }
    const autoApproved = created.filter(r => r.status === 'active').length;
    alertApi.post({
      message:
        autoApproved === created.length
          ? 'Access granted at once by the portal’s auto-approve rules'
          : `Access request${
              created.length > 1 ? 's' : ''
            } sent to the reviewers of ${entityTitle}`,
      severity: 'success',
      display: 'transient',
    });
    onClose();
  };

  const toggle = (ref: string) =>
    setSelected(current =>
      current.includes(ref)
        ? current.filter(r => r !== ref)
        : [...current, ref],
    );

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onClose}
      aria-labelledby="request-access-title"
      fullScreen={fullScreen}
      fullWidth
      maxWidth="sm"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id="request-access-title">
          Request access to {entityTitle}
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            Access is granted to one of your teams, for a limited time, after a
            reviewer of this {isProduct ? 'data product' : 'dataset'} approves.
            You can follow the request on this card.
          </DialogContentText>

          {isProduct && datasets.length > 0 && (
            <FormControl
              component="fieldset"
              margin="normal"
              fullWidth
              error={!!errors.datasets}
            >
              <FormLabel component="legend">What do you need?</FormLabel>
              <RadioGroup
                name="scope"
                value={scope}
                onChange={e =>
                  setScope(e.target.value as 'product' | 'datasets')
                }
              >
                <FormControlLabel
                  value="product"
                  control={<Radio />}
                  label={`The whole data product (${datasets.length} dataset${
                    datasets.length === 1 ? '' : 's'
                  })`}
                />
                <FormControlLabel
                  value="datasets"
                  control={<Radio />}
                  label="Only some datasets"
                />
              </RadioGroup>
              {scope === 'datasets' && (
                <FormGroup aria-label="Datasets" style={{ paddingLeft: 32 }}>
                  {datasets.map(d => (
                    <FormControlLabel
                      key={d.ref}
                      control={
                        <Checkbox
                          checked={selected.includes(d.ref)}
                          onChange={() => toggle(d.ref)}
                          name={d.ref}
                        />
                      }
                      label={d.title}
                    />
                  ))}
                </FormGroup>
              )}
              {errors.datasets && (
                <FormHelperText>{errors.datasets}</FormHelperText>
              )}
            </FormControl>
          )}

          <TextField
            id="request-access-team"
            select
            label="For team"
            value={teamRef}
            onChange={e => setTeamRef(e.target.value)}
            SelectProps={{ native: true }}
            error={!!errors.teamRef}
            helperText={
              errors.teamRef ??
              'The team whose role receives the grant; you must be a member'
            }
            margin="normal"
            fullWidth
            required
          >
            {teams.map(team => (
              <option key={team.ref} value={team.ref}>
                {team.title}
              </option>
            ))}
          </TextField>

          <TextField
            id="request-access-purpose"
            label="Purpose"
            value={purpose}
            onChange={e => setPurpose(e.target.value)}
            error={!!errors.purpose}
            helperText={
              errors.purpose ??
              'Why your team needs the data; the reviewers read it (at least 10 characters, plain text)'
            }
            multiline
            minRows={3}
            margin="normal"
            fullWidth
            required
          />

          <FormControl component="fieldset" margin="normal" fullWidth>
            <FormLabel component="legend">Access level</FormLabel>
            <RadioGroup
              name="accessLevel"
              value={accessLevel}
              onChange={e => setAccessLevel(e.target.value as AccessLevel)}
            >
              {ACCESS_LEVELS.map(level => (
                <FormControlLabel
                  key={level}
                  value={level}
                  control={<Radio />}
                  label={ACCESS_LEVEL_LABEL[level]}
                />
              ))}
            </RadioGroup>
          </FormControl>

          <TextField
            id="request-access-duration"
            label="Duration (days)"
            type="number"
            value={duration}
            onChange={e => setDuration(e.target.value)}
            inputProps={{ min: 1, max: policy.maxDurationDays, step: 1 }}
            error={!!errors.durationDays}
            helperText={
              errors.durationDays ??
              `1 to ${policy.maxDurationDays} days (the portal's policy); reviewers may grant fewer`
            }
            margin="normal"
            fullWidth
            required
          />

          {serverErrors.length > 0 && (
            <Alert severity="error" role="alert">
              {serverErrors.length === 1 ? (
                serverErrors[0]
              ) : (
                <ul style={{ margin: 0, paddingLeft: 16 }}>
                  {serverErrors.map(message => (
                    <li key={message}>{message}</li>
                  ))}
                </ul>
              )}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={busy}
          >
            {busy ? 'Sending…' : 'Submit request'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
