import type { HttpApp } from '../platform/module.ts';
import type { DepartmentService } from './department.service.ts';
import { DepartmentDetailSchema, DepartmentListQuerySchema, DepartmentPageSchema } from './org.schema.ts';
import { Type } from 'typebox';

/** /api/departments: the municipal departments, district branches and street offices. */
export function departmentRoutes(app: HttpApp, departments: DepartmentService): void {
  const tags = ['departments'];

  app.get(
    '/departments',
    { schema: { tags, summary: 'Departments, in code order; filter by jurisdiction, parent, kind or name', querystring: DepartmentListQuerySchema, response: { 200: DepartmentPageSchema } } },
    async (req) => departments.list(req.principal, req.query),
  );

  app.get(
    '/departments/:code',
    { schema: { tags, summary: 'One department with its parent and direct sub-units', params: Type.Object({ code: Type.String({ maxLength: 64 }) }), response: { 200: DepartmentDetailSchema } } },
    async (req) => departments.get(req.principal, req.params.code),
  );
}
