{#- Schemas are named for their layer (raw, reference, staging, intermediate, marts),
    not prefixed with the target schema, so analysts see `marts.dim_persona`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name | trim if custom_schema_name else target.schema }}
{%- endmacro %}
