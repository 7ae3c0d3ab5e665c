// What a licence of the e-licence library says, as credential claims: the registry's licence record
// with its holder's base-registry facts (name, photo reference, address). Keys follow
// LICENCE_CREDENTIALS in credential-types.ts.

import type { MyData } from '../registries/registry.service.ts';
import type { Licence } from '../registries/registry.types.ts';
import { createHmac } from 'node:crypto';

type Claims = Record<string, string | number>;

/** The claims of `licence` for a wallet credential; `authority` names the issuing department. */
export async function licenceClaims(me: MyData, licence: Licence, authority: string, portraitSecret: string): Promise<Claims> {
  return dropEmpty(await rawClaims(me, licence, authority, portraitSecret));
}

/** A claim the registry holds no value for is left out rather than issued empty. */
function dropEmpty(c: Claims): Claims {
  return Object.fromEntries(Object.entries(c).filter(([, v]) => v !== '' && v !== null && v !== undefined));
}

async function rawClaims(me: MyData, licence: Licence, authority: string, portraitSecret: string): Promise<Claims> {
  const d = licence.data;
  const validity: Claims = {
    licence_number: licence.number,
    valid_from: licence.validFrom,
    valid_until: licence.validUntil ?? '长期',
    issuing_authority: String(d.authority ?? authority),
  };
  if (licence.holderKind === 'entity') {
    const e = me.entity!;
    const entity: Claims = { entity_name: e.name, uscc: e.uscc, legal_representative: e.legalRepresentative, address: e.address?.full ?? '' };
    if (licence.type === 'food_business_licence') return { ...entity, business_items: String(d.items ?? ''), premises: String(d.premises ?? ''), ...validity };
    return {
      ...entity,
      entity_type: e.type,
      registered_capital: e.registeredCapital === null ? '—' : `${e.registeredCapital}万元`,
      established_on: e.establishedOn,
      business_scope: e.businessScope,
      ...validity,
    };
  }
  const p = me.person!;
  const person: Claims = {
    name: p.name,
    name_en: p.nameEn,
    id_number: p.idNumber,
    sex: p.sex === 'M' ? '男' : '女',
    birth_date: p.birthDate,
    portrait: portraitRef(p.idNumber, portraitSecret),
  };
  switch (licence.type) {
    case 'driving_licence':
      return { ...person, address: p.hukouAddress?.full ?? '', licence_class: String(d.class ?? ''), first_issued: String(d.firstIssuedOn ?? licence.issuedOn), ...validity };
    case 'id_card':
      return { ...person, ethnicity: String(d.ethnicity ?? p.ethnicity), address: String(d.address ?? p.hukouAddress?.full ?? ''), ...validity };
    case 'residence_permit':
      return { ...person, address: String(d.address ?? p.residenceAddress?.full ?? ''), ...validity };
    case 'marriage_certificate': {
      const { portrait: _p, ...rest } = person;
      return { ...rest, spouse_name: String(d.spouseName ?? ''), registered_on: String(d.registeredOn ?? licence.issuedOn), ...validity };
    }
    default:
      return { ...person, ...validity };
  }
}

/**
 * The photo as a reference, not the picture: what a police terminal resolves against the 公安 photo
 * store. The demo has no photos, so the reference is a keyed hash (HMAC) of the identity number under
 * this deployment's secret: stable for one person, and — unlike a bare hash of an identity number,
 * which can be enumerated — telling nothing to someone without the secret.
 */
export function portraitRef(idNumber: string, secret: string): string {
  return `photo:${createHmac('sha256', secret).update(idNumber).digest('base64url').slice(0, 32)}`;
}
