// Why a presentation was refused: stable codes with words in both languages, shared by the server,
// the verify API and the /verify page. The words never include claim values.

export const REASONS = {
  MALFORMED: { zh: '无法识别的码：不是有效的电子证照出示码', en: 'Not a readable credential code' },
  UNSUPPORTED: { zh: '不支持的证照格式或算法', en: 'Unsupported credential format or algorithm' },
  UNKNOWN_ISSUER: { zh: '签发方不受信任', en: 'The issuer is not trusted' },
  UNKNOWN_KEY: { zh: '签名密钥不是签发方公布的密钥：可能伪造', en: "Signed with a key the issuer does not publish: possibly forged" },
  SIGNATURE_INVALID: { zh: '签名校验失败：证照被伪造或篡改', en: 'Signature check failed: forged or altered' },
  DISCLOSURE_INVALID: { zh: '出示的信息与签发内容不符：已被篡改', en: 'Disclosed data does not match what was issued: altered' },
  UNKNOWN_TYPE: { zh: '未知的证照类型', en: 'Unknown credential type' },
  EXPIRED: { zh: '证照已过有效期', en: 'The credential has expired' },
  NOT_YET_VALID: { zh: '证照尚未生效', en: 'The credential is not valid yet' },
  HOLDER_BINDING_MISSING: { zh: '缺少持证人签名：须由持证人在本人手机上出示', en: "No holder proof: must be shown from the holder's own phone" },
  HOLDER_BINDING_INVALID: { zh: '持证人签名无效', en: "The holder's proof is invalid" },
  PRESENTATION_STALE: { zh: '出示码已过时，请持证人刷新后重新出示', en: 'The code is stale: ask the holder to refresh it' },
  AUDIENCE_MISMATCH: { zh: '出示码是为其他核验方生成的', en: 'The code was made for another verifier' },
  REPLAYED: { zh: '此出示码已被使用过：可能是截图或复制', en: 'This code was already used: possibly a screenshot or copy' },
  STATUS_UNAVAILABLE: { zh: '无法获取证照状态列表', en: 'The credential status list is unavailable' },
  REVOKED: { zh: '证照已被注销', en: 'The credential has been revoked' },
  SUSPENDED: { zh: '证照已被暂停使用', en: 'The credential is suspended' },
} as const;

export type Reason = keyof typeof REASONS;
