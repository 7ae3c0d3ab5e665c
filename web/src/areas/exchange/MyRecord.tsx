// 我的数据, the record itself: the resident's registry entry (or the company's registration), family
// links, the companies the person represents, and the licences of the e-licence library. Read-only:
// a wrong value is reported (ReportError) to the department the data comes from, which corrects it.
import type { ReactNode } from 'react';
import type { Address, Licence, MyData } from '../../api/registries.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { Fact } from '../../ui/Fact.tsx';
import { useDepartments } from './deptNames.ts';
import { useExchangeText } from './exchangeText.tsx';
import { ReportError } from './ReportError.tsx';

/** The licence types the e-licence library issues, in both languages (the server gives the code). */
export const LICENCE_TYPES: Record<string, { zh: string; en: string }> = {
  id_card: { zh: '居民身份证', en: 'Resident Identity Card' },
  residence_permit: { zh: '上海市居住证', en: 'Shanghai Residence Permit' },
  driving_licence: { zh: '机动车驾驶证', en: 'Motor Vehicle Driving Licence' },
  marriage_certificate: { zh: '结婚证', en: 'Marriage Certificate' },
  birth_medical_certificate: { zh: '出生医学证明', en: 'Medical Certificate of Birth' },
  social_security_card: { zh: '社会保障卡', en: 'Social Security Card' },
  business_licence: { zh: '营业执照', en: 'Business Licence' },
  food_business_licence: { zh: '食品经营许可证', en: 'Food Business Licence' },
  public_place_hygiene_licence: { zh: '公共场所卫生许可证', en: 'Public Place Hygiene Licence' },
};

function useMyText() {
  const { t } = useI18n();
  const text = useExchangeText();
  const known = (key: string, fallback: string) => {
    const s = t(key as MessageKey);
    return s === key ? fallback : s;
  };
  return {
    ...text,
    sex: (s: string) => known(`mydata.sex.${s}`, s),
    marital: (s: string) => known(`mydata.marital.${s}`, s),
    relation: (s: string) => known(`mydata.relation.${s}`, s),
    entityStatus: (s: string) => known(`mydata.entityStatus.${s}`, s),
    licenceStatus: (s: string) => known(`mydata.licenceStatus.${s}`, s),
    dataKey: (k: string) => known(`mydata.data.${k}`, k),
    licenceType: (code: string) => {
      const l = LICENCE_TYPES[code];
      return l ? text.pick(l.zh, l.en) : code;
    },
    address: (a: Address | null) => a?.full ?? '—',
  };
}

function Panel({ title, testId, children, tools }: { title: string; testId: string; children: ReactNode; tools?: ReactNode }) {
  return (
    <section className="panel" data-testid={testId}>
      <div className="panel-head">
        <h2 className="panel-title">{title}</h2>
        {tools ? <div className="panel-tools">{tools}</div> : null}
      </div>
      {children}
    </section>
  );
}

function Licences({ list }: { list: Licence[] }) {
  const { t } = useI18n();
  const text = useMyText();
  const issuers = useDepartments(list.map((l) => l.issuerCode));
  if (!list.length) return <p className="muted" data-testid="mydata-licences-none">{t('mydata.licences.none')}</p>;
  return (
    <div className="table-wrap">
      <table className="table mydata-table" data-testid="mydata-licences">
        <thead>
          <tr>
            <th>{t('mydata.licence.type')}</th>
            <th>{t('mydata.licence.number')}</th>
            <th>{t('mydata.licence.issuer')}</th>
            <th>{t('mydata.licence.issuedOn')}</th>
            <th>{t('mydata.licence.valid')}</th>
            <th>{t('mydata.licence.status')}</th>
            <th>{t('mydata.licence.details')}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((l) => {
            const issuer = issuers.get(l.issuerCode);
            return (
              <tr key={l.id} data-testid="mydata-licence" data-type={l.type} data-status={l.status}>
                <td className="mydata-strong">{text.licenceType(l.type)}</td>
                <td className="xchg-mono">{l.number}</td>
                <td>{issuer ? text.pick(issuer.name, issuer.nameEn) : l.issuerCode}</td>
                <td className="nowrap">{l.issuedOn}</td>
                <td>
                  <span className="nowrap">{l.validFrom}</span> {t('mydata.licence.rangeTo')} <span className="nowrap">{l.validUntil ?? t('mydata.licence.indefinite')}</span>
                </td>
                <td>
                  <span className={`badge mydata-licence-${l.status === 'valid' ? 'valid' : 'other'}`}>{text.licenceStatus(l.status)}</span>
                </td>
                <td>
                  {Object.entries(l.data).length ? (
                    <dl className="mydata-kv">
                      {Object.entries(l.data).map(([k, v]) => (
                        <div key={k}>
                          <dt>{text.dataKey(k)}</dt>
                          <dd>{String(v)}</dd>
                        </div>
                      ))}
                    </dl>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function MyRecord({ data }: { data: MyData }) {
  const { t, formatNumber } = useI18n();
  const text = useMyText();
  const p = data.person;
  const e = data.entity;
  return (
    <>
      <div className="note mydata-note" data-testid="mydata-readonly">
        <span>{t('mydata.readonly')}</span>
        <ReportError kind={data.subjectKind} />
      </div>
      {p && (
        <Panel title={t('mydata.person')} testId="mydata-person">
          <dl className="facts mydata-facts">
            <Fact label={t('mydata.name')} testId="mydata-name">
              {p.name}
            </Fact>
            <Fact label={t('mydata.nameEn')}>{p.nameEn}</Fact>
            <Fact label={t('mydata.idNumber')} testId="mydata-id">
              <span className="xchg-mono">{p.idNumber}</span>
            </Fact>
            <Fact label={t('mydata.birthDate')}>{p.birthDate}</Fact>
            <Fact label={t('mydata.sex')}>{text.sex(p.sex)}</Fact>
            <Fact label={t('mydata.ethnicity')}>{p.ethnicity}</Fact>
            <Fact label={t('mydata.phone')}>{p.phone}</Fact>
            <Fact label={t('mydata.education')}>{p.education}</Fact>
            <Fact label={t('mydata.marital')} testId="mydata-marital">
              {text.marital(p.maritalStatus)}
            </Fact>
          </dl>
          <dl className="facts facts-stacked mydata-facts mydata-addresses">
            <Fact label={t('mydata.hukou')} testId="mydata-hukou">
              {text.address(p.hukouAddress)}
            </Fact>
            <Fact label={t('mydata.residence')} testId="mydata-residence">
              {text.address(p.residenceAddress)}
            </Fact>
          </dl>
          <p className="muted">{t('mydata.person.source')}</p>
        </Panel>
      )}
      {p && (
        <Panel title={t('mydata.family')} testId="mydata-family">
          {p.family.length ? (
            <table className="table mydata-table">
              <thead>
                <tr>
                  <th>{t('mydata.family.relation')}</th>
                  <th>{t('mydata.name')}</th>
                  <th>{t('mydata.idNumber')}</th>
                </tr>
              </thead>
              <tbody>
                {p.family.map((f) => (
                  <tr key={`${f.relation}-${f.idNumber}`} data-testid="mydata-family-row" data-relation={f.relation}>
                    <td>{text.relation(f.relation)}</td>
                    <td className="mydata-strong">{f.name}</td>
                    <td className="xchg-mono">{f.idNumber}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">{t('mydata.family.none')}</p>
          )}
        </Panel>
      )}
      {p && data.represents.length > 0 && (
        <Panel title={t('mydata.represents')} testId="mydata-represents">
          <ul className="mydata-list">
            {data.represents.map((c) => (
              <li key={c.uscc} data-testid="mydata-company" data-uscc={c.uscc}>
                <span className="mydata-strong">{c.name}</span> <span className="muted xchg-mono">{t('mydata.uscc')} {c.uscc}</span>
              </li>
            ))}
          </ul>
        </Panel>
      )}
      {e && (
        <Panel title={t('mydata.entity')} testId="mydata-entity">
          <dl className="facts mydata-facts">
            <Fact label={t('mydata.entity.name')} testId="mydata-entity-name">
              {e.name}
            </Fact>
            <Fact label={t('mydata.entity.nameEn')}>{e.nameEn}</Fact>
            <Fact label={t('mydata.uscc')} testId="mydata-uscc">
              <span className="xchg-mono">{e.uscc}</span>
            </Fact>
            <Fact label={t('mydata.entity.type')}>{e.type}</Fact>
            <Fact label={t('mydata.entity.representative')}>{e.legalRepresentative}</Fact>
            <Fact label={t('mydata.entity.capital')}>{e.registeredCapital === null ? '—' : t('mydata.entity.capitalValue', { n: formatNumber(e.registeredCapital) })}</Fact>
            <Fact label={t('mydata.entity.established')}>{e.establishedOn}</Fact>
            <Fact label={t('mydata.entity.industry')}>{e.industry}</Fact>
            <Fact label={t('mydata.entity.status')}>{text.entityStatus(e.status)}</Fact>
          </dl>
          <dl className="facts facts-stacked mydata-facts">
            <Fact label={t('mydata.entity.address')}>{text.address(e.address)}</Fact>
            <Fact label={t('mydata.entity.scope')}>{e.businessScope}</Fact>
          </dl>
          <p className="muted">{t('mydata.entity.source')}</p>
        </Panel>
      )}
      <Panel title={t('mydata.licences')} testId="mydata-licences-panel">
        <Licences list={data.licences} />
        <p className="muted">{t('mydata.licences.source')}</p>
      </Panel>
    </>
  );
}
