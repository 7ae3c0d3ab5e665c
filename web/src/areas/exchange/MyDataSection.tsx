// /portal/my-data — 我的数据: what the base registries hold about the signed-in resident (or company),
// read-only, and below it who looked at that data through the exchange (谁查看了我的数据).
// Loaded lazily from the portal; elder mode applies as on every portal page (sizes in rem).
import { ApiError } from '../../api/client.ts';
import { myData } from '../../api/registries.ts';
import { useAccount } from '../../app/session.tsx';
import { useI18n } from '../../i18n/index.tsx';
import '../../styles/exchange.css';
import { loadNote } from '../../ui/ErrorNote.tsx';
import { useAsync } from '../../ui/useAsync.ts';
import { PageTitle } from '../shared.tsx';
import { MyRecord } from './MyRecord.tsx';
import { WhoLooked } from './WhoLooked.tsx';

/** Residents and companies have data of their own in the registries; officials' accounts do not. */
const HOLDERS = new Set(['citizen', 'enterprise']);

export default function MyDataSection() {
  const account = useAccount();
  if (!account.roles.some((r) => HOLDERS.has(r))) return <NotAHolder />;
  return <MyData />;
}

function NotAHolder() {
  const { t } = useI18n();
  return (
    <div className="mydata-page" data-testid="mydata-page">
      <PageTitle title={t('mydata.title')} />
      <section className="panel" data-testid="mydata-not-holder">
        <p>{t('mydata.notHolder')}</p>
      </section>
    </div>
  );
}

function MyData() {
  const { t } = useI18n();
  const data = useAsync((signal) => myData(signal), []);
  const unbound = data.error instanceof ApiError && data.error.code === 'SUBJECT_NOT_BOUND';
  return (
    <div className="mydata-page" data-testid="mydata-page">
      <PageTitle title={t('mydata.title')} />
      <p className="muted mydata-intro">{t('mydata.intro')}</p>
      {unbound ? (
        <section className="panel" data-testid="mydata-unbound">
          <h2 className="panel-title">{t('mydata.unbound.title')}</h2>
          <p>{t('mydata.unbound.text')}</p>
        </section>
      ) : (
        (loadNote(data) ??
          (data.data ? (
            <>
              <MyRecord data={data.data} />
              <WhoLooked />
            </>
          ) : null))
      )}
    </div>
  );
}
