import { Type } from 'typebox';
import { authorize, UNSCOPED, type Principal } from '../../platform/access.ts';
import { invalid } from '../../platform/errors.ts';
import type { AppContext } from '../../platform/context.ts';
import { fromJson } from '../../platform/db/dialect.ts';
import type { HttpApp } from '../../platform/module.ts';
import type { ApplicationQueries } from '../applications/application.queries.ts';
import { resultView } from '../applications/application.queries.ts';
import type { ApplicationRow, Attached } from '../applications/application.schema.ts';
import type { ApplicationService } from '../applications/application.service.ts';
import type { BundleCatalogue } from './bundle.catalogue.ts';
import { BundleAppView, BundleResubmitBody, PlanBody, SaveBundleBody, StartBody, type BundleAppRow } from './bundle.schema.ts';
import { bundleStage, type BundleService } from './bundle.service.ts';
import type { Answers, Bundle } from './definitions.ts';
import type { RedesignReport } from './redesign.ts';

const tags = ['services'];
const security: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];
const CodeParam = Type.Object({ code: Type.String({ maxLength: 40 }) });
const IdParam = Type.Object({ id: Type.String({ maxLength: 20 }) });

export interface BundleRouteDeps {
  ctx: AppContext;
  catalogue: BundleCatalogue;
  bundles: BundleService;
  apps: ApplicationService;
  queries: ApplicationQueries;
  redesign: RedesignReport;
}

/** /api/services/bundles (public definitions) and /api/services/bundle-applications (the applicant's). */
export function bundleRoutes(app: HttpApp, d: BundleRouteDeps): void {
  const summary = (b: Bundle) => {
    const items = d.catalogue.items(b);
    return { code: b.code, nameZh: b.nameZh, nameEn: b.nameEn, summaryZh: b.summaryZh, summaryEn: b.summaryEn, items: items.length, departments: new Set(items.map((i) => i.sector)).size, lifeEvents: b.lifeEvents, enterpriseEvents: b.enterpriseEvents };
  };

  app.get('/services/bundles', {
    schema: { tags, summary: '"One thing, one go" bundles (一件事), searchable like items', querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) }) },
  }, async (req) => ({ items: d.catalogue.search(req.query.q ?? '', req.query.limit ?? 10).map((h) => ({ ...summary(h.bundle), score: Math.round(h.score * 10) / 10 })) }));

  app.get('/services/bundles/:code', { schema: { tags, summary: 'A bundle: its questionnaire (情形引导) and every item it may include, with the condition that brings each in', params: CodeParam } }, async (req) => {
    const b = d.catalogue.get(req.params.code, 'code');
    const items = d.catalogue.items(b);
    return { ...summary(b), applicants: b.applicants, questions: b.questions, jointInspection: Boolean(b.jointInspection), items: b.items.map((i, n) => ({ code: i.code, nameZh: items[n]!.nameZh, nameEn: items[n]!.nameEn, sector: items[n]!.sector, departmentName: items[n]!.departmentName, departmentNameEn: items[n]!.departmentNameEn, promisedDays: items[n]!.promisedDays, when: i.when ?? null, after: i.after ?? [] })) };
  });

  app.post('/services/bundles/:code/plan', { schema: { tags, summary: 'What the answers lead to: the items that apply, the one merged form, the one merged materials list', params: CodeParam, body: PlanBody } }, async (req) => {
    const b = d.catalogue.get(req.params.code, 'code');
    const plan = d.catalogue.plan(b, d.catalogue.checkAnswers(b, req.body.answers));
    return { items: plan.items.map((i) => ({ code: i.code, nameZh: i.nameZh, nameEn: i.nameEn, sector: i.sector, departmentName: i.departmentName, departmentNameEn: i.departmentNameEn })), form: plan.formView, prefill: plan.prefill, materials: plan.materials };
  });

  app.get('/services/bundles/:code/redesign', {
    schema: { tags, summary: 'The redesign report: materials, trips, inspections and working days before (one after another) and after (merged, parallel), with the real processing records', params: CodeParam, querystring: Type.Object({ answers: Type.Optional(Type.String({ maxLength: 2000, description: 'JSON answers: the report for that situation instead of the whole bundle' })) }) },
  }, async (req) => {
    const b = d.catalogue.get(req.params.code, 'code');
    let answers: Answers | undefined;
    if (req.query.answers !== undefined) {
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(req.query.answers);
      } catch {
        // reported below
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid('answers', 'must be a JSON object of question id → answer');
      answers = d.catalogue.checkAnswers(b, parsed as Answers);
    }
    return d.redesign.report(b, answers);
  });

  const view = async (p: Principal, row: BundleAppRow) => {
    const b = d.catalogue.get(row.bundle_code);
    const answers = fromJson<Answers>(row.answers);
    const plan = d.catalogue.plan(b, answers, row.stage === 'draft' ? undefined : fromJson<string[]>(row.items));
    const apps = await d.apps.store.byBundle(d.ctx.db, row.id);
    for (const a of apps) await d.apps.rememberDepartment(a.department_code);
    const filesOf = await d.queries.filesByKey(fromJson<Attached>(row.materials));
    const corrections = apps.filter((a) => a.stage === 'correction').map((a) => {
      const item = d.ctx.services.catalogue.get(a.item_code);
      return { applicationId: a.id, itemNameZh: item.nameZh, itemNameEn: item.nameEn, ...d.apps.askOf(a) };
    });
    const toCorrect = new Set(corrections.flatMap((c) => c.materials));
    const results = await d.apps.store.results(d.ctx.db, apps.map((a) => a.result_id).filter((x): x is string => x !== null));
    // A draft shows what the registries hold about the applicant now, locked.
    const own = row.stage === 'draft' ? await d.apps.autofill.prefill(p.accountId, plan.form) : null;
    return {
      id: row.id,
      bundleCode: b.code,
      nameZh: b.nameZh,
      nameEn: b.nameEn,
      stage: bundleStage(row, apps),
      answers,
      items: plan.items.map((i) => ({ code: i.code, nameZh: i.nameZh, nameEn: i.nameEn, departmentName: i.departmentName, departmentNameEn: i.departmentNameEn, sector: i.sector })),
      form: { ...fromJson<Record<string, unknown>>(row.form), ...own?.values },
      ...(own ? { locked: own.locked } : {}),
      formView: plan.formView,
      materials: plan.materials.map((m) => ({ ...m, files: filesOf(m.key), toCorrect: toCorrect.has(m.key) })),
      applications: apps.map((a) => d.queries.summary(a)),
      corrections,
      results: results.map(resultView),
      submittedAt: row.submitted_at === null ? null : Number(row.submitted_at),
      version: row.version,
    };
  };

  app.get('/services/bundle-applications', { schema: { tags, security, summary: 'Your bundle applications' } }, async (req) => {
    const p = req.principal;
    authorize(p, 'account.read_self', UNSCOPED);
    const own = await d.bundles.store.mine(d.ctx.db, p.accountId);
    const apps = new Map<string, ApplicationRow[]>();
    for (const a of await d.apps.store.inBundles(d.ctx.db, own.map((r) => r.id))) apps.set(a.bundle_id!, [...(apps.get(a.bundle_id!) ?? []), a]);
    return {
      items: own.map((row) => {
        const b = d.catalogue.get(row.bundle_code);
        return { id: row.id, bundleCode: b.code, nameZh: b.nameZh, nameEn: b.nameEn, stage: bundleStage(row, apps.get(row.id) ?? []), submittedAt: row.submitted_at === null ? null : Number(row.submitted_at), updatedAt: Number(row.updated_at) };
      }),
    };
  });

  app.post('/services/bundle-applications', { schema: { tags, security, summary: 'Start a bundle application with (some of) the answers', body: StartBody, response: { 201: BundleAppView } } }, async (req, reply) => {
    const id = await d.bundles.start(req.principal, req.body);
    return reply.status(201).send(await view(req.principal!, await d.bundles.own(req.principal, id)));
  });
  app.get('/services/bundle-applications/:id', { schema: { tags, security, summary: 'One bundle application: one progress view over its items, corrections asked for, the combined result', params: IdParam, response: { 200: BundleAppView } } }, async (req) => view(req.principal!, await d.bundles.own(req.principal, req.params.id)));
  app.put('/services/bundle-applications/:id', { schema: { tags, security, summary: 'Save the draft: answers, merged form, materials', params: IdParam, body: SaveBundleBody, response: { 200: BundleAppView } } }, async (req) => {
    await d.bundles.save(req.principal, req.params.id, req.body);
    return view(req.principal!, await d.bundles.own(req.principal, req.params.id));
  });
  const act = (path: string, summary: string, body: unknown, run: (p: Principal | null, id: string, b: never) => Promise<void>) =>
    app.post(`/services/bundle-applications/:id/${path}`, { schema: { tags, security, summary, params: IdParam, body: body as never, response: { 200: BundleAppView } } }, async (req) => {
      const id = (req.params as { id: string }).id;
      await run(req.principal, id, (req.body ?? {}) as never);
      return view(req.principal!, await d.bundles.own(req.principal, id));
    });
  act('submit', 'Submit: one application per item, routed and processed in parallel; with consent, documents other departments issued are fetched through data sharing', Type.Object({ consent: Type.Optional(Type.Boolean({ description: 'I agree that each department fetches the documents other departments issued to me (once-only)' })) }, { additionalProperties: false }), (p, id, b: { consent?: boolean }) => d.bundles.submit(p, id, b.consent === true));
  act('resubmit', 'Answer every correction asked for by any department at once', BundleResubmitBody, (p, id, b) => d.bundles.resubmit(p, id, b));
  act('withdraw', 'Withdraw every item not yet decided', Type.Object({}, { additionalProperties: false }), (p, id) => d.bundles.withdraw(p, id));
}
