// @ts-check

/**
 * SLO history: per objective, stretches of time with one status, extended by
 * each evaluation (see src/slo/SloHistoryStore.ts).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('data_mesh_slo_history', table => {
    table.comment(
      'Evaluated SLO statuses over time, for the 30-day history and error budget',
    );
    table.bigIncrements('id').primary();
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('The dataset (API entity) the objective belongs to');
    table.text('objective_id').notNullable();
    table.string('kind', 32).notNullable();
    table
      .string('status', 16)
      .notNullable()
      .comment('met, at-risk, breached or unknown');
    table
      .bigInteger('start_ms')
      .notNullable()
      .comment('First evaluation with this status (epoch ms)');
    table
      .bigInteger('end_ms')
      .notNullable()
      .comment('Latest evaluation with this status (epoch ms)');
    table.index(
      ['entity_ref', 'end_ms'],
      'data_mesh_slo_history_entity_end_idx',
    );
    table.index(['end_ms'], 'data_mesh_slo_history_end_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('data_mesh_slo_history');
};
