// People's names and personal facts for the synthetic population: family names in proportion to how
// common they are (national figures, leaning towards the Jiangnan names Shanghai has more of), given-
// name characters that changed with the generations, the pinyin of every character used, ethnicities
// and education levels. A small table of our own instead of a pinyin dictionary: names need one
// fixed reading per character (曾 zēng as a family name), and 100,000 look-ups must cost nothing.

import type { Sex } from './registry.types.ts';

/** Family names with weights (roughly per mille of the population). */
export const FAMILY_NAMES: ReadonlyArray<readonly [string, number]> = (
  '王71 李70 张67 陈56 刘54 杨31 黄22 吴22 周21 徐20 赵20 朱16 孙15 马13 胡13 郭11 何11 高10 林10 罗9 郑9 ' +
  '梁8 谢8 许8 宋7 唐7 沈7 韩6 冯6 邓6 曹6 彭6 蒋6 陆6 曾5 肖5 田5 董5 袁5 潘5 蔡5 叶5 顾5 于4 余4 杜4 ' +
  '程4 苏4 丁4 姚4 汪4 金4 魏3 吕3 任3 卢3 姜3 钟3 范3 夏3 方3 钱3 施3 崔2 谭2 石2 廖2 贾2 韦2 傅2 邹2 ' +
  '熊2 白2 孟2 秦2 邱2 江2 陶2 龚2 邵2 严2 戴2 汤2 倪2 俞2 侯1 尹1 薛1 闫1 段1 雷1 黎1 史1 龙1 贺1 毛1 ' +
  '郝1 万1 武1 莫1 孔1 向1 欧阳0.5'
)
  .split(' ')
  .map((s) => {
    const m = /^(\D+)([\d.]+)$/.exec(s)!;
    return [m[1]!, Number(m[2])] as const;
  });

/** Birth cohorts whose given names differ: 建国 and 秀英, then 伟 and 静, then 子轩 and 欣怡. */
export type NameEra = 'old' | 'mid' | 'young';

/** The naming cohort of a birth year. */
export function nameEra(birthYear: number): NameEra {
  return birthYear < 1960 ? 'old' : birthYear < 1990 ? 'mid' : 'young';
}

/** Given-name characters by sex and cohort. */
export const GIVEN_CHARS: Readonly<Record<Sex, Readonly<Record<NameEra, string>>>> = {
  M: {
    old: '国建明华伟德文志忠林福荣宝根祥金生兴民平海强军新庆发昌勇富云龙',
    mid: '伟强磊军勇杰涛明超斌浩鹏辉华峰俊文志刚晨波飞东亮健毅栋凯宁龙晓宏海鑫敏平春立',
    young: '子轩浩宇博睿泽昊俊嘉豪晨翔逸辰铭煜皓航一哲凡霖然宸瑞阳天诚锦奕',
  },
  F: {
    old: '秀英桂兰凤珍华玉芳美丽琴萍红梅惠娣妹月菊娟霞芬云',
    mid: '芳娜敏静丽艳娟霞燕洁婷雪琳颖倩慧红梅佳丹蕾薇莉晶晓琼蓉',
    young: '欣怡雨萱涵诗梦思悦妍可心婧璐梓语若汐彤琪瑶馨一依诺佳子桐',
  },
};

/** Share of one-character given names in each cohort (伟, 静 were common; 子轩 and 欣怡 are two). */
export const SINGLE_GIVEN_SHARE: Readonly<Record<NameEra, number>> = { old: 0.3, mid: 0.35, young: 0.08 };

// One reading per character, toneless, ü written 'yu' after l/n as passports do (吕 → LYU).
const PINYIN_TEXT =
  // family names
  '王wang 李li 张zhang 刘liu 陈chen 杨yang 黄huang 赵zhao 吴wu 周zhou 徐xu 孙sun 马ma 朱zhu 胡hu 郭guo ' +
  '何he 高gao 林lin 罗luo 郑zheng 梁liang 谢xie 宋song 唐tang 许xu 韩han 冯feng 邓deng 曹cao 彭peng 曾zeng ' +
  '肖xiao 田tian 董dong 袁yuan 潘pan 于yu 蒋jiang 蔡cai 余yu 杜du 叶ye 程cheng 苏su 魏wei 吕lyu 丁ding 任ren ' +
  '沈shen 姚yao 卢lu 姜jiang 崔cui 钟zhong 谭tan 陆lu 汪wang 范fan 金jin 石shi 廖liao 贾jia 夏xia 韦wei 傅fu ' +
  '方fang 邹zou 熊xiong 白bai 孟meng 秦qin 邱qiu 侯hou 江jiang 尹yin 薛xue 闫yan 段duan 雷lei 黎li 史shi ' +
  '龙long 陶tao 贺he 顾gu 毛mao 郝hao 龚gong 邵shao 万wan 钱qian 严yan 武wu 戴dai 莫mo 孔kong 向xiang ' +
  '汤tang 施shi 倪ni 俞yu 欧ou 阳yang ' +
  // given names
  '国guo 建jian 明ming 华hua 伟wei 德de 文wen 志zhi 忠zhong 福fu 荣rong 宝bao 根gen 祥xiang 生sheng 兴xing ' +
  '民min 平ping 海hai 强qiang 军jun 新xin 庆qing 发fa 昌chang 勇yong 富fu 云yun 磊lei 杰jie 涛tao 超chao ' +
  '斌bin 浩hao 鹏peng 辉hui 峰feng 俊jun 刚gang 晨chen 波bo 飞fei 东dong 亮liang 健jian 毅yi 栋dong 凯kai ' +
  '宁ning 晓xiao 宏hong 鑫xin 敏min 春chun 立li 子zi 轩xuan 宇yu 博bo 睿rui 泽ze 昊hao 嘉jia 豪hao ' +
  '翔xiang 逸yi 辰chen 铭ming 煜yu 皓hao 航hang 一yi 哲zhe 凡fan 霖lin 然ran 宸chen 瑞rui 天tian 诚cheng ' +
  '锦jin 奕yi 秀xiu 英ying 桂gui 兰lan 凤feng 珍zhen 玉yu 芳fang 美mei 丽li 琴qin 萍ping 红hong 梅mei ' +
  '惠hui 娣di 妹mei 月yue 菊ju 娟juan 霞xia 芬fen 娜na 静jing 艳yan 燕yan 洁jie 婷ting 雪xue 琳lin ' +
  '颖ying 倩qian 慧hui 佳jia 丹dan 蕾lei 薇wei 莉li 晶jing 琼qiong 蓉rong 欣xin 怡yi 雨yu 萱xuan 涵han ' +
  '诗shi 梦meng 思si 悦yue 妍yan 可ke 心xin 婧jing 璐lu 梓zi 语yu 若ruo 汐xi 彤tong 琪qi 瑶yao 馨xin ' +
  '依yi 诺nuo 桐tong ' +
  // trade names of companies and shops
  '申shen 浦pu 沪hu 盛sheng 达da 信xin 通tong 汇hui 源yuan 恒heng 泰tai 和he 润run 丰feng 隆long 晟sheng ' +
  '启qi 星xing 味wei 鼎ding 安an 康kang 亿yi 百bai 合he 正zheng 远yuan 力li 旺wang 永yong 弘hong 卓zhuo ' +
  '越yue 联lian 融rong 智zhi 青qing 禾he 森sen 桥qiao 品pin 尚shang 优you 朗lang 致zhi 臻zhen 骏jun ' +
  '创chuang 记ji 老lao 阿a';

/** Toneless pinyin of every character the generator puts into a name. */
export const PINYIN: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (const token of PINYIN_TEXT.split(' ')) {
    const [ch, py] = [token[0]!, token.slice(1)];
    const had = map.get(ch);
    // A character listed twice must read the same: one name, one spelling.
    if (had && had !== py) throw new Error(`two readings for ${ch}: ${had}, ${py}`);
    map.set(ch, py);
  }
  return map;
})();

/** The pinyin syllables of `chinese`, one per character; throws on a character without a reading. */
export function syllables(chinese: string): string[] {
  return [...chinese].map((ch) => {
    const py = PINYIN.get(ch);
    if (py === undefined) throw new RangeError(`no pinyin for ${ch} (in ${chinese})`);
    return py;
  });
}

/** Syllables written as one word, capitalised, with an apostrophe before a/o/e after the first (Xi'an). */
export function pinyinWord(chinese: string): string {
  let word = '';
  for (const s of syllables(chinese)) word += word && 'aoe'.includes(s[0]!) ? `'${s}` : s;
  return word[0]!.toUpperCase() + word.slice(1);
}

/** A person's name in pinyin as passports write it: family name in capitals first (ZHANG Wei, OUYANG Xiaoming). */
export function personNameEn(family: string, given: string): string {
  return `${syllables(family).join('').toUpperCase()} ${pinyinWord(given)}`;
}

const COMPOUND_FAMILY_NAMES = FAMILY_NAMES.map(([f]) => f).filter((f) => f.length > 1);

/** Splits a full name into family and given name, knowing the compound family names we use. */
export function splitName(name: string): { family: string; given: string } {
  const compound = COMPOUND_FAMILY_NAMES.find((f) => name.startsWith(f));
  const cut = compound ? compound.length : 1;
  return { family: name.slice(0, cut), given: name.slice(cut) };
}

/** 民族, weighted as in Shanghai (the 2020 census counts 98.8% 汉族). */
export const ETHNICITIES: ReadonlyArray<readonly [string, number]> = [
  ['汉族', 9880], ['回族', 30], ['土家族', 15], ['满族', 12], ['苗族', 12], ['蒙古族', 8], ['壮族', 8],
  ['朝鲜族', 6], ['布依族', 5], ['彝族', 4], ['侗族', 4], ['藏族', 3], ['维吾尔族', 3], ['白族', 3],
];

/** Adults' highest education (学历) by birth cohort: each generation stayed longer at school. */
export const EDUCATION_BY_COHORT: ReadonlyArray<{ bornBefore: number; levels: ReadonlyArray<readonly [string, number]> }> = [
  { bornBefore: 1950, levels: [['小学', 30], ['初中', 35], ['高中', 18], ['中专', 7], ['大专', 5], ['大学本科', 5]] },
  { bornBefore: 1965, levels: [['小学', 12], ['初中', 35], ['高中', 25], ['中专', 10], ['大专', 10], ['大学本科', 8]] },
  {
    bornBefore: 1980,
    levels: [['初中', 20], ['高中', 22], ['中专', 12], ['大专', 20], ['大学本科', 22], ['硕士研究生', 3.5], ['博士研究生', 0.5]],
  },
  {
    bornBefore: 1995,
    levels: [['初中', 10], ['高中', 12], ['中专', 8], ['大专', 22], ['大学本科', 38], ['硕士研究生', 9], ['博士研究生', 1]],
  },
  {
    bornBefore: 10000,
    levels: [['初中', 6], ['高中', 8], ['中专', 8], ['大专', 24], ['大学本科', 42], ['硕士研究生', 11], ['博士研究生', 1]],
  },
];

/** The level a child or student is at by age, before adult education applies (from 23). */
export function schoolLevel(age: number): string | null {
  if (age < 6) return '学龄前';
  if (age < 12) return '小学';
  if (age < 15) return '初中';
  if (age < 18) return '高中';
  return null;
}
