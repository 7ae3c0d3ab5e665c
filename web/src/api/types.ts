// The shapes the Yiwang HTTP API replies with (see /api/docs on a running server).

export type Role = 'citizen' | 'enterprise' | 'staff' | 'grid_worker' | 'operator' | 'admin' | 'system';

/** The signed-in account as /api/auth/me and /api/auth/login return it. */
export interface Account {
  id: string;
  username: string;
  displayName: string;
  kind: 'person' | 'enterprise' | 'staff';
  roles: Role[];
  departmentCode: string | null;
  departmentName: string | null;
  scopeCode: string | null;
  scopeName: string | null;
  locale: string | null;
}

/** A demo account listed on the login page when the server runs the demo city. */
export interface DemoAccount {
  username: string;
  password?: string;
  displayName?: string;
  roles?: string[];
  scopeName?: string | null;
  departmentName?: string | null;
  description?: string | null;
  descriptionEn?: string | null;
}

export type Level = 'city' | 'district' | 'street' | 'committee' | 'grid';

/** One jurisdiction: city → district → street/town → committee → grid cell (单元网格). */
export interface JurisdictionNode {
  code: string;
  name: string;
  nameEn: string;
  level: Level;
  kind: string;
  parentCode: string | null;
  special: boolean;
  /** The geometry is generated for illustration (示意), not surveyed. */
  synthetic: boolean;
  childCount: number;
  /** WGS84 [lon, lat] of a point inside the area (the map puts its label there). */
  centroid?: [number, number];
  /** [minLon, minLat, maxLon, maxLat]. */
  bbox?: [number, number, number, number];
}

export interface TreeNode extends JurisdictionNode {
  children?: TreeNode[];
}

export interface JurisdictionDetail {
  node: JurisdictionNode;
  ancestors: JurisdictionNode[];
  children: JurisdictionNode[];
}

export interface Located {
  node: JurisdictionNode;
  ancestors: JurisdictionNode[];
}

export interface Message {
  id: string;
  topic: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: string | number;
  readAt: string | number | null;
}

export interface MessagePage {
  items: Message[];
  unreadByTopic: Record<string, number>;
  unreadTotal?: number;
  nextCursor: string | null;
}

export interface Topic {
  topic: string;
  labelZh: string;
  labelEn: string;
}

export interface Department {
  code: string;
  name: string;
  nameEn: string;
  parentCode: string | null;
  jurisdictionCode: string | null;
  /** municipal 市级部门, district 区级部门, street 街镇机构. */
  kind: string;
}

export interface DepartmentPage {
  items: Department[];
  nextCursor: string | null;
}
