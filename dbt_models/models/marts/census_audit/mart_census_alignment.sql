{#- How far the dataset is from the US adult population, per (dimension, universe, category),
    with per-distribution divergences and the threshold the census_alignment suite checks. -#}

with adults as (

    select * from {{ ref('dim_persona') }}
    where age >= 18

),

dataset_counts as (

    select
        'sex' as dimension,
        {{ audit_universe('adults') }} as universe,
        sex as category,
        count(*) as persona_count
    from adults
    group by all
    union all
    select
        'age_band',
        {{ audit_universe('adults') }},
        age_band,
        count(*)
    from adults
    group by all
    union all
    select
        'marital_status',
        {{ audit_universe('adults') }},
        marital_status,
        count(*)
    from adults
    group by all
    union all
    select
        'marital_status',
        {{ audit_universe('age_band', 'age_band') }},
        marital_status,
        count(*)
    from adults
    group by all
    union all
    select
        'education_level',
        {{ audit_universe('adults_25_plus') }},
        education_level,
        count(*)
    from adults
    where age >= 25
    group by all
    union all
    select
        'bachelors_field',
        {{ audit_universe('degree_holders_25_plus') }},
        coalesce(bachelors_field, '(none)'),
        count(*)
    from adults
    where age >= 25 and has_bachelors_or_higher
    group by all
    union all
    select
        'state',
        {{ audit_universe('adults') }},
        state,
        count(*)
    from adults
    group by all

),

census as (

    select * from {{ ref('int_census_distributions') }}

),

joined as (

    select
        coalesce(census.dimension, dataset_counts.dimension) as dimension,
        coalesce(census.universe, dataset_counts.universe) as universe,
        coalesce(census.category, dataset_counts.category) as category,
        coalesce(dataset_counts.persona_count, 0) as persona_count,
        coalesce(census.census_count, 0) as census_count,
        coalesce(census.census_share, 0) as census_share,
        census.census_source
    from census
    full outer join dataset_counts
        on
            census.dimension = dataset_counts.dimension
            and census.universe = dataset_counts.universe
            and census.category = dataset_counts.category
    -- universes the Census tables cover but the dataset does not (e.g. no 25+ persona) stay out
    where census.universe is null or census.universe in (select covered.universe from dataset_counts as covered)

),

shares as (

    select
        dimension,
        universe,
        category,
        persona_count,
        census_count,
        census_share,
        max(census_source) over distribution as census_source,
        (sum(persona_count) over distribution)::bigint as universe_persona_count,
        persona_count / sum(persona_count) over distribution as persona_share
    from joined
    window distribution as (partition by dimension, universe)

),

with_midpoints as (

    select
        *,
        (persona_share + census_share) / 2 as midpoint_share
    from shares

),

measured as (

    select
        *,
        0.5 * sum(abs(persona_share - census_share)) over distribution as total_variation_distance,
        sum(
            0.5 * case when persona_share > 0 then persona_share * log2(persona_share / midpoint_share) else 0 end
            + 0.5 * case when census_share > 0 then census_share * log2(census_share / midpoint_share) else 0 end
        ) over distribution as jensen_shannon_divergence,
        -- E|p_hat - p| of a random sample of n from the Census distribution is about sqrt(2 p (1 - p) / (pi n)).
        sum(sqrt(census_share * (1 - census_share) / (2 * pi() * universe_persona_count))) over distribution
            as expected_sampling_tvd
    from with_midpoints
    window distribution as (partition by dimension, universe)

)

select
    dimension,
    universe,
    category,
    persona_count,
    persona_share,
    census_count,
    census_share,
    100 * (persona_share - census_share) as difference_pp,
    universe_persona_count,
    total_variation_distance,
    greatest(jensen_shannon_divergence, 0) as jensen_shannon_divergence,
    expected_sampling_tvd,
    -- 5 points of probability mass may move (the Census tables are from 2018, the dataset from 2025),
    -- plus three times what sampling alone gives a random sample of this size.
    0.05 + 3 * expected_sampling_tvd as tvd_threshold,
    total_variation_distance <= 0.05 + 3 * expected_sampling_tvd as within_threshold,
    census_source
from measured
