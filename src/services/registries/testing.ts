import { XSS } from '../../org/testing.ts';
import { makeIdNumber, makeUscc } from './ids.ts';
import type { Address, Registries } from './registry.types.ts';

/** Identity numbers and credit codes of the sample registries, for tests to ask about. */
export const SAMPLE = {
  /** 张伟, Lujiazui (310115005), married to 李娜, holds a C1 driving licence. */
  zhangWei: makeIdNumber('310115', '1988-05-17', 951, 'M'),
  /** 李娜, 张伟's wife. */
  liNa: makeIdNumber('310115', '1990-02-08', 952, 'F'),
  /** 王芳, Waitan (310101013), Huangpu: outside a grant scoped to Pudong. */
  wangFang: makeIdNumber('310101', '1975-11-30', 954, 'F'),
  /** 张伟's employer before 2019, a company outside the sample registries. */
  formerEmployer: makeUscc({ authority: '9', type: '1', division6: '310104', serial: 'MA1G5H6J' }),
  /** 上海申味餐饮管理有限公司, Pudong, represented by 张伟. */
  company: makeUscc({ authority: '9', type: '1', division6: '310115', serial: 'MA1K2D3E' }),
};

const address = (id: string, streetCode: string, road: string, number: string, room: string | null, full: string, lon: number, lat: number): Address => ({
  id, districtCode: streetCode.slice(0, 6), streetCode, jurisdictionCode: streetCode, road, roadEn: 'Road', number, compound: null, building: room ? '3号楼' : null,
  unit: null, room, full, lon, lat,
});

/**
 * A handful of residents, one company and their licences, written by hand so tests know every value.
 * Ids start with 9 so they sit beside a generated demo city's (which count up from 0).
 */
export function sampleRegistries(): Registries {
  return {
    addresses: [
      address('A9000000001', '310115005', '银城中路', '88', '1201室', '上海市浦东新区陆家嘴街道银城中路88弄3号楼1201室', 121.5023, 31.2371),
      address('A9000000002', '310101013', '中山东一路', '18', '502室', '上海市黄浦区外滩街道中山东一路18号3号楼502室', 121.4901, 31.2396),
      address('A9000000003', '310115005', '东方路', '69', null, `上海市浦东新区陆家嘴街道东方路69号 ${XSS}`, 121.5159, 31.2322),
    ],
    persons: [
      { idNumber: SAMPLE.zhangWei, name: '张伟', nameEn: 'ZHANG Wei', sex: 'M', birthDate: '1988-05-17', ethnicity: '汉族', phone: '13812345678', hukouAddressId: 'A9000000001', residenceAddressId: 'A9000000001', jurisdictionCode: '310115005', maritalStatus: 'married', education: '大学本科', employerUscc: SAMPLE.company },
      { idNumber: SAMPLE.liNa, name: '李娜', nameEn: 'LI Na', sex: 'F', birthDate: '1990-02-08', ethnicity: '汉族', phone: '13987654321', hukouAddressId: 'A9000000001', residenceAddressId: 'A9000000001', jurisdictionCode: '310115005', maritalStatus: 'married', education: '硕士研究生', employerUscc: null },
      { idNumber: SAMPLE.wangFang, name: '王芳', nameEn: 'WANG Fang', sex: 'F', birthDate: '1975-11-30', ethnicity: '回族', phone: '15800001111', hukouAddressId: 'A9000000002', residenceAddressId: 'A9000000002', jurisdictionCode: '310101013', maritalStatus: 'divorced', education: '大专', employerUscc: null },
    ],
    families: [
      { personId: SAMPLE.zhangWei, relatedId: SAMPLE.liNa, relation: 'spouse' },
      { personId: SAMPLE.liNa, relatedId: SAMPLE.zhangWei, relation: 'spouse' },
    ],
    entities: [
      { uscc: SAMPLE.company, name: `上海申味餐饮管理有限公司${XSS}`, nameEn: 'Shanghai Shenwei Catering Management Co., Ltd.', type: '有限责任公司（自然人投资或控股）', legalRepresentative: '张伟', legalRepresentativeId: SAMPLE.zhangWei, registeredCapital: 500, establishedOn: '2019-03-12', addressId: 'A9000000003', jurisdictionCode: '310115005', businessScope: '餐饮管理；餐饮服务；食品销售', industry: 'H6210', status: 'active' },
    ],
    licences: [
      { id: 'L900000000006', type: 'id_card', holderKind: 'person', holderId: SAMPLE.zhangWei, number: SAMPLE.zhangWei, issuerCode: 'ga', issuedOn: '2014-05-20', validFrom: '2014-05-20', validUntil: '2034-05-20', status: 'valid', data: { authority: '上海市公安局浦东分局' } },
      { id: 'L900000000001', type: 'driving_licence', holderKind: 'person', holderId: SAMPLE.zhangWei, number: SAMPLE.zhangWei, issuerCode: 'ga', issuedOn: '2020-06-01', validFrom: '2020-06-01', validUntil: '2030-06-01', status: 'valid', data: { class: 'C1', firstIssuedOn: '2010-06-01' } },
      { id: 'L900000000002', type: 'marriage_certificate', holderKind: 'person', holderId: SAMPLE.zhangWei, number: 'J310115-2016-004512', issuerCode: 'mz', issuedOn: '2016-10-01', validFrom: '2016-10-01', validUntil: null, status: 'valid', data: { spouseName: '李娜', spouseIdNumber: SAMPLE.liNa, registeredOn: '2016-10-01' } },
      { id: 'L900000000003', type: 'marriage_certificate', holderKind: 'person', holderId: SAMPLE.liNa, number: 'J310115-2016-004512', issuerCode: 'mz', issuedOn: '2016-10-01', validFrom: '2016-10-01', validUntil: null, status: 'valid', data: { spouseName: '张伟', spouseIdNumber: SAMPLE.zhangWei, registeredOn: '2016-10-01' } },
      { id: 'L900000000004', type: 'business_licence', holderKind: 'entity', holderId: SAMPLE.company, number: SAMPLE.company, issuerCode: 'scjg', issuedOn: '2019-03-12', validFrom: '2019-03-12', validUntil: null, status: 'valid', data: { type: '有限责任公司（自然人投资或控股）', capital: 500 } },
      { id: 'L900000000005', type: 'food_business_licence', holderKind: 'entity', holderId: SAMPLE.company, number: 'JY13101150123456', issuerCode: 'scjg', issuedOn: '2024-05-20', validFrom: '2024-05-20', validUntil: '2029-05-19', status: 'valid', data: { category: '餐饮服务经营者', items: '热食类食品制售' } },
    ],
    // 张伟 works, pays tax, deposits to the provident fund and owns his home with 李娜; 王芳 has a
    // criminal record (so no 无犯罪记录证明 online) and no contributions; the company paid its taxes.
    records: {
      insurance: [
        { personId: SAMPLE.zhangWei, employerUscc: SAMPLE.formerEmployer, fromMonth: '2012-07', toMonth: '2019-02', base: 8500, kinds: 'pension,medical,unemployment,injury,maternity' },
        { personId: SAMPLE.zhangWei, employerUscc: SAMPLE.company, fromMonth: '2019-03', toMonth: null, base: 12000, kinds: 'pension,medical,unemployment,injury,maternity' },
      ],
      incomeTax: [
        { personId: SAMPLE.zhangWei, year: 2024, months: 12, income: 168000, tax: 6480, withholderUscc: SAMPLE.company },
        { personId: SAMPLE.zhangWei, year: 2025, months: 12, income: 174000, tax: 7080, withholderUscc: SAMPLE.company },
        { personId: SAMPLE.zhangWei, year: 2026, months: 2, income: 24000, tax: 310, withholderUscc: SAMPLE.company },
      ],
      entityTax: [
        { uscc: SAMPLE.company, year: 2024, vat: 21500, incomeTax: 9800, other: 2700, owed: 0 },
        { uscc: SAMPLE.company, year: 2025, vat: 23800, incomeTax: 10400, other: 2950, owed: 0 },
      ],
      fund: [{ personId: SAMPLE.zhangWei, accountNo: '612345678901', employerUscc: SAMPLE.company, fromMonth: '2019-03', toMonth: null, base: 12000, rate: 7 }],
      properties: [
        { certificateNo: '沪(2017)浦字不动产权第012345号', ownerId: SAMPLE.zhangWei, addressId: 'A9000000001', area: 89.5, use: '住宅', share: '共同共有', registeredOn: '2017-04-18' },
        { certificateNo: '沪(2017)浦字不动产权第012345号', ownerId: SAMPLE.liNa, addressId: 'A9000000001', area: 89.5, use: '住宅', share: '共同共有', registeredOn: '2017-04-18' },
      ],
      penalties: [],
      criminal: [{ personId: SAMPLE.wangFang, recordedOn: '2003-06-01' }],
    },
  };
}
