{#- Ingest on Spark, run by the raw_personas asset as `dbt run-operation spark_load_raw_personas`: Spark reads
    each source file where it lies (a local path, or an object-store URI on a cluster) into raw.personas,
    with the same lineage columns as the DuckDB load, and appends the load to raw.source_loads.
    `files`: [{path, name, format, columns: [[name, Spark type], ...]}]; `missing_columns`: the USA-only
    columns an original-release file lacks (NULL); `load`: the raw.source_loads row. The table is built
    under another name and renamed, so a failure leaves the previous load in place. -#}
{% macro spark_load_raw_personas(files, missing_columns, load) %}
    {%- set selects = [] -%}
    {%- for file in files -%}
        {%- set view = 'raw_source_file_' ~ loop.index -%}
        {%- set columns = [] -%}
        {%- for name, data_type in file.columns -%}
            {%- do columns.append(name ~ ' ' ~ data_type) -%}
        {%- endfor -%}
        {%- if file.format == 'parquet' -%}
            {#- the row's position in its file, as DuckDB's file_row_number gives it (parquet keeps its own
                types, which the ingest checked) -#}
            {%- set reader = 'select *, _metadata.row_index as _file_row_index from parquet.`'
                ~ file.path | replace('`', '``') ~ '`' -%}
            {%- set row_index = '_file_row_index' -%}
        {%- else -%}
            {%- set options = ", multiLine 'true', header 'true', quote '\"', escape '\"'" if file.format == 'csv' else '' -%}
            {#- one file is read in order (its splits are ordered by offset), so the generated ids follow
                the lines -#}
            {%- set row_index = 'row_number() over (order by monotonically_increasing_id()) - 1' -%}
            {%- set reader = '(' ~ columns | join(', ') ~ ') using ' ~ file.format
                ~ ' options (path ' ~ spark_string(file.path) ~ options ~ ')' -%}
        {%- endif -%}
        {%- do run_query('create or replace temporary view ' ~ view ~ (' as ' if file.format == 'parquet') ~ reader) -%}
        {%- set select -%}
            select
                {% for name, data_type in file.columns %}`{{ name }}`, {% endfor %}
                {%- for name in missing_columns %}cast(null as string) as `{{ name }}`, {% endfor %}
                {{ spark_string(load.source_spec) }} as _source_spec,
                cast({{ spark_string(load.revision) }} as string) as _source_revision,
                {{ spark_string(load.release) }} as _source_release,
                {{ spark_string(file.name) }} as _source_file,
                cast({{ row_index }} as bigint) as _source_row_index,
                cast({{ spark_string(load.loaded_at) }} as timestamp) as _loaded_at
            from {{ view }}
        {%- endset -%}
        {%- do selects.append(select) -%}
    {%- endfor -%}
    {%- do run_query('create schema if not exists raw') -%}
    {%- do run_query('drop table if exists raw.personas__loading') -%}
    {%- do run_query('create table raw.personas__loading using parquet as ' ~ selects | join('\nunion all\n')) -%}
    {%- do run_query('drop table if exists raw.personas') -%}
    {%- do run_query('alter table raw.personas__loading rename to raw.personas') -%}
    {%- do run_query(
        'create table if not exists raw.source_loads (fingerprint string, source_spec string, source_kind string,'
        ~ ' repo_id string, revision string, release string, file_count int, row_count bigint, files string,'
        ~ ' loaded_at timestamp) using parquet'
    ) -%}
    {%- set values = [] -%}
    {%- for name in ['fingerprint', 'source_spec', 'source_kind', 'repo_id', 'revision', 'release'] -%}
        {%- do values.append(spark_string(load[name])) -%}
    {%- endfor -%}
    {%- do run_query(
        'insert into raw.source_loads values (' ~ values | join(', ') ~ ', ' ~ load.file_count ~ ', '
        ~ load.row_count ~ ', ' ~ spark_string(load.files) ~ ', cast(' ~ spark_string(load.loaded_at) ~ ' as timestamp))'
    ) -%}
    {{ log('raw.personas: ' ~ files | length ~ ' files loaded on Spark', info=true) }}
{% endmacro %}

{#- A Spark SQL string literal (NULL for none): Spark's parser reads backslash escapes. -#}
{% macro spark_string(value) -%}
    {%- if value is none -%}null{%- else -%}
        '{{ value | string | replace('\\', '\\\\') | replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}

{#- A table of the Parquet file at `path`, replaced (the ref_zipcodes asset on Spark). -#}
{% macro spark_load_parquet_table(schema, table, path) %}
    {%- do run_query('create schema if not exists ' ~ schema) -%}
    {%- do run_query('drop table if exists ' ~ schema ~ '.' ~ table) -%}
    {%- do run_query(
        'create table ' ~ schema ~ '.' ~ table ~ ' using parquet as select * from parquet.`'
        ~ path | replace('`', '``') ~ '`'
    ) -%}
{% endmacro %}

{#- Seeds on Spark with `method: session`: dbt-spark's own loader binds each value into the SQL text without
    quotes (its session cursor formats `%s` with Python's `%`), so any text value breaks the insert. This
    writes each value as a literal instead; the rest of the seed materialization is dbt-spark's. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    {%- set column_name = agate_table.column_names[loop.index0] -%}
                    {%- set data_type = column_override.get(column_name, adapter.convert_type(agate_table, loop.index0)) -%}
                    cast({{ spark_string(value) }} as {{ data_type }}){{ ',' if not loop.last }}
                {%- endfor -%}){{ ',' if not loop.last }}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- do statements.append(sql) -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}
