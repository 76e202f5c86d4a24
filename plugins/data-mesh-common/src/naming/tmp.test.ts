import { stableHash } from './stableHash';
import { dataMeshEntityName } from './dataMeshEntityName';
it('x', () => { console.log(stableHash('data-product\u0000dzd_1\u0000\u0000\u0000dp_1', 10), dataMeshEntityName({kind:'data-product', domainId:'dzd_4p9n6sw4qt9xgn', id:'dp_5bd1fvd3vtg6pz', name:'Customer Orders (Curated)'})); });
