// English names for Shanghai divisions: the official forms for the city, districts and the special
// zones (which are translated, not transliterated), and Hanyu Pinyin place names for everything
// else, following the place-name convention of writing the specific part as one word.
import { customPinyin, pinyin } from 'pinyin-pro';

// Place-name readings a general dictionary gets wrong: 行 is háng in Shanghai town names,
// 莘庄 is Xīnzhuāng, 重固 is Chónggù.
customPinyin({
  闵行: 'mǐn háng',
  高行: 'gāo háng',
  杨行: 'yáng háng',
  徐行: 'xú háng',
  庄行: 'zhuāng háng',
  庙行: 'miào háng',
  殷行: 'yīn háng',
  莘庄: 'xīn zhuāng',
  重固: 'chóng gù',
});

const DISTRICTS: Record<string, string> = {
  '310101': 'Huangpu District',
  '310104': 'Xuhui District',
  '310105': 'Changning District',
  '310106': "Jing'an District",
  '310107': 'Putuo District',
  '310109': 'Hongkou District',
  '310110': 'Yangpu District',
  '310112': 'Minhang District',
  '310113': 'Baoshan District',
  '310114': 'Jiading District',
  '310115': 'Pudong New Area',
  '310116': 'Jinshan District',
  '310117': 'Songjiang District',
  '310118': 'Qingpu District',
  '310120': 'Fengxian District',
  '310151': 'Chongming District',
};

// The 19 statistical zones (code part >= 400) are parks, farms and development zones whose
// English names are translations.
const SPECIAL_ZONES: Record<string, string> = {
  '310104501': 'Caohejing Hi-Tech Park',
  '310112501': 'Xinzhuang Industrial Zone',
  '310113501': 'Baoshan Industrial Park',
  '310114401': 'Juyuan New Area',
  '310114501': 'Jiading Industrial Zone',
  '310115401': 'Luchaogang Farm',
  '310115402': 'Donghai Farm',
  '310115403': 'Chaoyang Farm',
  '310115501': 'China (Shanghai) Pilot Free Trade Zone (Bonded Area)',
  '310115502': 'Jinqiao Economic and Technological Development Zone',
  '310115503': 'Zhangjiang Hi-Tech Park',
  '310116503': 'Shanghai Bay Area Hi-Tech Industrial Development Zone',
  '310117501': 'Songjiang Industrial Zone',
  '310117504': 'Sheshan Resort',
  '310117507': 'Shanghai Songjiang Export Processing Zone',
  '310120503': 'Haiwan Tourist Zone',
  '310151401': 'Qianwei Farm',
  '310151402': 'Dongping Forest Farm',
  '310151501': 'Shangshi Modern Agricultural Park',
};

/** Official English name of a district, or undefined for an unknown code. */
export function districtNameEn(code: string): string | undefined {
  return DISTRICTS[code];
}

/** Official English name of a special statistical zone, or undefined. */
export function specialZoneNameEn(code: string): string | undefined {
  return SPECIAL_ZONES[code];
}

const PUNCTUATION: Record<string, string> = { '、': '/', '（': ' (', '）': ')', '，': ', ', '·': ' ' };

/** Hanyu Pinyin of a Chinese name as one capitalised word, with apostrophes before a/o/e syllables. */
export function pinyinWord(chinese: string): string {
  const syllables = pinyin(chinese, { toneType: 'none', type: 'array', nonZh: 'consecutive' });
  let out = '';
  let previousWasSyllable = false;
  for (const s of syllables) {
    const mapped = PUNCTUATION[s];
    if (mapped !== undefined) {
      out += mapped;
      previousWasSyllable = false;
      continue;
    }
    const isSyllable = /^[a-zü]+$/.test(s);
    if (isSyllable && previousWasSyllable && /^[aoe]/.test(s)) out += "'";
    out += s;
    previousWasSyllable = isSyllable;
  }
  return out.replace(/(^|[\s(/])([a-zü])/g, (_m, pre: string, c: string) => pre + c.toUpperCase());
}

// A trailing road ("东路", "二路", "路") is written as its own word: 南京东路 → Nanjing Donglu,
// but 湖南路 is Hunan Lu, so the modifier is only split off when two characters remain before it.
function placeName(stem: string): string {
  const road = /^(.+?)([东西南北中新一二三四五六七八九十]?路)$/.exec(stem);
  if (road && road[1]!.length >= 2) return `${pinyinWord(road[1]!)} ${pinyinWord(road[2]!)}`;
  if (road && stem.length >= 3) return `${pinyinWord(stem.slice(0, -1))} Lu`;
  const estate = /^(.+?)(新村)$/.exec(stem);
  if (estate && estate[1]!.length >= 2) return `${pinyinWord(estate[1]!)} ${pinyinWord(estate[2]!)}`;
  return pinyinWord(stem);
}

/** English name of a street-level unit from its code and Chinese name. */
export function streetNameEn(code: string, name: string): string {
  const special = SPECIAL_ZONES[code];
  if (special) return special;
  const serial = Number(code.slice(6, 9));
  if (serial < 100) return `${placeName(name.replace(/街道$/, ''))} Subdistrict`;
  if (serial < 200) {
    // 川沙新镇 is "Chuansha New Town"; other towns drop 镇 and keep the specific part.
    const newTown = /^(.{2,})新镇$/.exec(name);
    if (newTown) return `${placeName(newTown[1]!)} New Town`;
    return `${placeName(name.replace(/镇$/, ''))} Town`;
  }
  return `${placeName(name.replace(/乡$/, ''))} Township`;
}

/** English name of a neighbourhood committee (居委会) or village (村委会). */
export function committeeNameEn(name: string, streetEn: string): string {
  if (/虚拟社区$/.test(name)) return `${streetEn} Virtual Community`;
  if (/虚拟生活区$/.test(name)) return `${streetEn} Virtual Living Area`;
  // "永安村村委会" is Yong'an Village: the village's own 村 is dropped for the English generic.
  const village = /^(.+?)村?村委会$/.exec(name);
  if (village) return `${placeName(village[1]!)} Village`;
  const residents = /^(.+?)(社区)?(居委会|居民委员会)$/.exec(name);
  if (residents) return `${placeName(residents[1]!)} Residents' Committee`;
  return placeName(name);
}
