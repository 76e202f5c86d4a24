// @ts-check

/**
 * Access requests and their audit trail.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('access_requests', table => {
    table.comment('Requests for access to data products and datasets, and their grants');
    table.string('id', 36).primary().notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('entity_title', 255).nullable();
    table.string('target_kind', 32).notNullable();
    table
      .string('product_ref', 255)
      .nullable()
      .comment('The data product the entity belongs to (the entity itself for a product)');
    table.string('requester_ref', 255).notNullable();
    table.string('team_ref', 255).notNullable();
    table.text('purpose').notNullable();
    table.string('access_level', 32).notNullable();
    table.integer('requested_duration_days').notNullable();
    table.integer('granted_duration_days').nullable();
    table.string('status', 32).notNullable();
    table.string('reviewer_ref', 255).nullable();
    table.text('decision_reason').nullable();
    table.text('failure_reason').nullable();
    table.string('grant_mode', 32).notNullable();
    table.text('grant_details').nullable().comment('JSON: what was granted in AWS (ids, principal, tables)');
    table.string('source', 32).notNullable();
    table
      .string('external_id', 255)
      .nullable()
      .unique()
      .comment('DataZone subscription request id');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.timestamp('decided_at', { useTz: true }).nullable();
    table.timestamp('expires_at', { useTz: true }).nullable();
    table.timestamp('expiry_notified_at', { useTz: true }).nullable();
    table.index(['status', 'expires_at'], 'access_requests_status_expires_idx');
    table.index(['entity_ref'], 'access_requests_entity_idx');
    table.index(['product_ref'], 'access_requests_product_idx');
    table.index(['requester_ref'], 'access_requests_requester_idx');
    table.index(['team_ref', 'status'], 'access_requests_team_status_idx');
  });

  await knex.schema.createTable('access_request_owners', table => {
    table.comment('Who may review a request (owner and approver groups), one row each, for list filters');
    table
      .string('request_id', 36)
      .notNullable()
      .references('id')
      .inTable('access_requests')
      .onDelete('CASCADE');
    table.string('role', 16).notNullable().comment('owner | approver');
    table.string('group_ref', 255).notNullable();
    table.primary(['request_id', 'role', 'group_ref']);
    table.index(['group_ref', 'role'], 'access_request_owners_group_idx');
  });

  await knex.schema.createTable('access_request_events', table => {
    table.comment('Audit trail of access requests, per entity and data product');
    table.bigIncrements('id').primary();
    table.string('request_id', 36).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('product_ref', 255).nullable();
    table.string('action', 64).notNullable();
    table.string('actor_ref', 255).notNullable();
    table.string('from_status', 32).nullable();
    table.string('to_status', 32).nullable();
    table.text('detail').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['request_id'], 'access_request_events_request_idx');
    table.index(['product_ref', 'created_at'], 'access_request_events_product_idx');
    table.index(['entity_ref', 'created_at'], 'access_request_events_entity_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('access_request_events');
  await knex.schema.dropTable('access_request_owners');
  await knex.schema.dropTable('access_requests');
};
