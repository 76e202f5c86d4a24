import { AccessRequestStatus } from '@data-mesh-portal/plugin-data-mesh-common';
import Chip from '@material-ui/core/Chip';
import { STATUS_COLOR, STATUS_LABEL } from './format';

/** A status chip: colour plus words, so it reads without colour too. */
export function AccessRequestStatusChip(props: {
  status: AccessRequestStatus;
}) {
  const { status } = props;
  return (
    <Chip
      size="small"
      label={STATUS_LABEL[status]}
      data-testid={`access-status-${status}`}
      style={{ backgroundColor: STATUS_COLOR[status], color: '#fff' }}
    />
  );
}
