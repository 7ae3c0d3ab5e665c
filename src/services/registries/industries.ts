// What legal entities are made of: the industries a Shanghai street is full of (restaurants, shops,
// software firms, decorators, property managers…) with their GB/T 4754-2017 class, the words a
// company name takes for them, the business scope as registered, and which licences they need;
// plus enterprise types and the characters trade names (字号) are made from.

/** Which food licence an industry needs (食品经营许可证 主体业态): catering or food sales. */
export type FoodKind = 'catering' | 'sales';

/** One industry as the entity generator uses it. */
export interface Industry {
  /** GB/T 4754-2017 section letter and 4-digit class. */
  code: string;
  /** The class's name in the standard. */
  nameZh: string;
  /** The industry word in a company name: 上海申味{餐饮管理}有限公司. */
  word: string;
  wordEn: string;
  /** Name endings for individual businesses (个体工商户) of this industry; empty when there are none. */
  shopWords: ReadonlyArray<readonly [string, string]>;
  /** 经营范围 in the standard wording Shanghai registers since the 2022 scope catalogue. */
  scope: string;
  food: FoodKind | null;
  /** Needs a 公共场所卫生许可证 (hair and beauty salons). */
  hygiene: boolean;
  /** Relative number of companies and of individual businesses. */
  companies: number;
  shops: number;
  /** Typical registered capital of a company, 万元. */
  capital: readonly [number, number];
}

const PERMIT = '（依法须经批准的项目，经相关部门批准后方可开展经营活动，具体经营项目以相关部门批准文件或许可证件为准）';
const GENERAL = '（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）';

/** A scope in the registered form: licensed items first, then general items. */
function scope(permitted: string | null, general: string): string {
  return (permitted ? `许可项目：${permitted}。${PERMIT}` : '') + `一般项目：${general}。${GENERAL}`;
}

/** The industries generated entities belong to. */
export const INDUSTRIES: readonly Industry[] = [
  {
    code: 'H6210', nameZh: '正餐服务', word: '餐饮', wordEn: 'Catering',
    shopWords: [['饭店', 'Restaurant'], ['菜馆', 'Restaurant'], ['酒家', 'Restaurant']],
    scope: scope('餐饮服务；食品销售', '食品销售（仅销售预包装食品）'),
    food: 'catering', hygiene: false, companies: 8, shops: 10, capital: [10, 500],
  },
  {
    code: 'H6210', nameZh: '正餐服务', word: '餐饮管理', wordEn: 'Catering Management',
    shopWords: [],
    scope: scope('餐饮服务；食品销售', '餐饮管理；企业管理；食品销售（仅销售预包装食品）'),
    food: 'catering', hygiene: false, companies: 6, shops: 0, capital: [50, 1000],
  },
  {
    code: 'H6220', nameZh: '快餐服务', word: '快餐', wordEn: 'Fast Food',
    shopWords: [['小吃店', 'Snack Bar'], ['面馆', 'Noodle House'], ['馄饨店', 'Wonton Shop'], ['生煎馆', 'Shengjian Bun Shop']],
    scope: scope('餐饮服务；食品销售', '外卖递送服务；食品销售（仅销售预包装食品）'),
    food: 'catering', hygiene: false, companies: 3, shops: 14, capital: [10, 200],
  },
  {
    code: 'H6232', nameZh: '咖啡馆服务', word: '咖啡', wordEn: 'Coffee',
    shopWords: [['咖啡馆', 'Café']],
    scope: scope('餐饮服务；食品销售', '食品销售（仅销售预包装食品）；日用百货销售'),
    food: 'catering', hygiene: false, companies: 3, shops: 4, capital: [10, 300],
  },
  {
    code: 'F5212', nameZh: '超级市场零售', word: '超市', wordEn: 'Supermarket',
    shopWords: [],
    scope: scope('食品销售；烟草制品零售', '日用百货销售；新鲜水果零售；新鲜蔬菜零售；食用农产品零售'),
    food: 'sales', hygiene: false, companies: 2, shops: 0, capital: [100, 2000],
  },
  {
    code: 'F5213', nameZh: '便利店零售', word: '便利店', wordEn: 'Convenience Store',
    shopWords: [['便利店', 'Convenience Store']],
    scope: scope('食品销售；烟草制品零售', '日用百货销售；食品销售（仅销售预包装食品）'),
    food: 'sales', hygiene: false, companies: 2, shops: 12, capital: [10, 500],
  },
  {
    code: 'F5223', nameZh: '果品、蔬菜零售', word: '果蔬', wordEn: 'Fruit and Vegetable',
    shopWords: [['水果店', 'Fruit Shop'], ['蔬果店', 'Greengrocer']],
    scope: scope('食品销售', '新鲜水果零售；新鲜蔬菜零售；食用农产品零售'),
    food: 'sales', hygiene: false, companies: 1, shops: 8, capital: [10, 100],
  },
  {
    code: 'F5232', nameZh: '服装零售', word: '服饰', wordEn: 'Apparel',
    shopWords: [['服装店', 'Clothing Store']],
    scope: scope(null, '服装服饰零售；鞋帽零售；针纺织品销售'),
    food: null, hygiene: false, companies: 4, shops: 6, capital: [10, 500],
  },
  {
    code: 'F5199', nameZh: '其他未列明批发业', word: '贸易', wordEn: 'Trading',
    shopWords: [],
    scope: scope(null, '国内贸易代理；日用百货销售；五金产品批发；电子产品销售；货物进出口；技术进出口'),
    food: null, hygiene: false, companies: 12, shops: 0, capital: [50, 3000],
  },
  {
    code: 'I6513', nameZh: '应用软件开发', word: '信息科技', wordEn: 'Information Technology',
    shopWords: [],
    scope: scope(null, '技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；软件开发；信息系统集成服务；数据处理服务'),
    food: null, hygiene: false, companies: 14, shops: 0, capital: [100, 5000],
  },
  {
    code: 'I6560', nameZh: '信息技术咨询服务', word: '网络科技', wordEn: 'Network Technology',
    shopWords: [],
    scope: scope(null, '信息技术咨询服务；技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；网络技术服务'),
    food: null, hygiene: false, companies: 8, shops: 0, capital: [100, 2000],
  },
  {
    code: 'E5012', nameZh: '住宅装饰和装修', word: '建筑装饰工程', wordEn: 'Decoration Engineering',
    shopWords: [],
    scope: scope('建设工程施工', '住宅室内装饰装修；建筑装饰材料销售；园林绿化工程施工'),
    food: null, hygiene: false, companies: 7, shops: 0, capital: [100, 2000],
  },
  {
    code: 'K7020', nameZh: '物业管理', word: '物业管理', wordEn: 'Property Management',
    shopWords: [],
    scope: scope(null, '物业管理；停车场服务；专业保洁、清洗、消毒服务；家政服务'),
    food: null, hygiene: false, companies: 4, shops: 0, capital: [50, 1000],
  },
  {
    code: 'L7243', nameZh: '社会经济咨询', word: '企业管理咨询', wordEn: 'Business Consulting',
    shopWords: [],
    scope: scope(null, '企业管理咨询；信息咨询服务（不含许可类信息咨询服务）；市场营销策划；会议及展览服务'),
    food: null, hygiene: false, companies: 10, shops: 0, capital: [10, 1000],
  },
  {
    code: 'L7259', nameZh: '其他广告服务', word: '广告', wordEn: 'Advertising',
    shopWords: [['图文广告社', 'Print and Sign Studio']],
    scope: scope(null, '广告设计、代理；广告制作；广告发布；图文设计制作'),
    food: null, hygiene: false, companies: 5, shops: 2, capital: [10, 500],
  },
  {
    code: 'O8040', nameZh: '理发及美容服务', word: '美容美发', wordEn: 'Hair and Beauty',
    shopWords: [['美发店', 'Hair Salon'], ['理发店', 'Barber Shop']],
    scope: scope('理发服务；生活美容服务', '化妆品零售'),
    food: null, hygiene: true, companies: 2, shops: 9, capital: [10, 100],
  },
  {
    code: 'O8010', nameZh: '家庭服务', word: '家政服务', wordEn: 'Housekeeping Services',
    shopWords: [['家政服务部', 'Housekeeping Service']],
    scope: scope(null, '家政服务；居民日常生活服务；专业保洁、清洗、消毒服务'),
    food: null, hygiene: false, companies: 3, shops: 3, capital: [10, 200],
  },
];

/** 企业类型 of companies, weighted as in a Shanghai district's register. */
export const COMPANY_TYPES: ReadonlyArray<readonly [string, number]> = [
  ['有限责任公司（自然人投资或控股）', 66],
  ['有限责任公司（自然人独资）', 20],
  ['有限责任公司（自然人投资或控股的法人独资）', 6],
  ['有限责任公司（外国法人独资）', 3],
  ['股份有限公司（非上市、自然人投资或控股）', 2],
  ['有限责任公司（国有独资）', 1],
];

/** The 企业类型 of an individual business; it has no registered capital. */
export const INDIVIDUAL_BUSINESS = '个体工商户';

/** Characters two of which make a company's trade name (字号): 申味, 沪鑫, 锦泰. */
export const TRADE_NAME_CHARS = '申浦沪海东华鑫盛宏达信通汇金源博锦创恒泰和嘉润丰隆祥瑞晟启星辰悦味鼎佳美安康宁亿百合正德新明远力旺永弘卓越联融凯智云天青禾森峰桥品尚优睿思朗致臻铭骏';

/** Round amounts of registered capital (万元) companies tend to choose. */
export const CAPITAL_STEPS: readonly number[] = [10, 20, 30, 50, 100, 200, 300, 500, 800, 1000, 2000, 3000, 5000];
