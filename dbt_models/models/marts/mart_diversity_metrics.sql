{%- set dimensions = [
    'sex', 'age_band', 'marital_status', 'education_level', 'bachelors_field', 'occupation', 'state'
] -%}

with long_form as (

    select
        dimension,
        category
    from (
        select
            {%- for dimension in dimensions %}
                coalesce({{ dimension }}::string, '(none)') as {{ dimension }}
                {%- if not loop.last %},{% endif %}
            {%- endfor %}
        from {{ ref('dim_persona') }}
    ) unpivot (category for dimension in ({{ dimensions | join(', ') }}))

),

shares as (

    select
        dimension,
        category,
        count(*) / sum(count(*)) over (partition by dimension) as share
    from long_form
    group by dimension, category

),

entropies as (

    select
        dimension,
        count(*)::integer as distinct_values,
        -- 0.0 minus the sum, not its negation, so a single category gives 0 rather than -0
        0.0 - sum(share * log2(share)) as entropy_bits,
        max_by(category, share) as largest_category,
        max(share) as largest_category_share
    from shares
    group by dimension

)

select
    dimension,
    distinct_values,
    entropy_bits,
    -- entropy relative to its maximum, log2(distinct values); 0 when there is a single value
    coalesce(entropy_bits / nullif(log2(distinct_values), 0), 0) as normalized_entropy,
    largest_category,
    largest_category_share
from entropies
