-- The analyses of the guide the dataset's users follow, answered from the serving file. Where the guide's
-- own definition is wrong, its version and the corrected one are both here, side by side, and README.md
-- ("The guide's questions") says why. tests/test_analyst.py runs every query; benchmarks/questions.py
-- times the same definitions against pandas. One query per "-- name:" block.

-- name: occupation_age_stats
-- Occupation x age: count, mean, median, standard deviation (the guide's groupby; same definition).
select occupation, persona_count, age_mean, age_median, age_std
from marts.mart_occupation_age_stats
order by persona_count desc, occupation;

-- name: bachelors_or_higher_by_state
-- The guide counts education_level in (bachelors, masters, professional, doctorate): the last three do not
-- exist in the data, and graduate degrees (graduate) are left out, so its rate is the bachelor's-only rate.
-- Corrected: the levels ref_census_education_codes marks has_bachelors_or_higher (bachelors, graduate).
select
    state,
    avg((education_level in ('bachelors', 'masters', 'professional', 'doctorate'))::int) as guide_rate,
    avg(has_bachelors_or_higher::int) as corrected_rate,
    avg(has_bachelors_or_higher::int) filter (where age >= 25) as corrected_rate_25_plus
from marts.dim_persona
group by state
order by state;

-- name: marital_status_by_guide_age_bands
-- The guide's bands: 20-24, 30-49, 50-69, 70+. They leave out everyone aged 18-19 and 25-29 (counted
-- here as "outside the guide's bands", so no one is lost); the Census bands follow in the next query.
with banded as (
    select
        marital_status,
        case
            when age between 20 and 24 then '20-24'
            when age between 30 and 49 then '30-49'
            when age between 50 and 69 then '50-69'
            when age >= 70 then '70+'
            else 'outside the guide''s bands'
        end as guide_age_band
    from marts.dim_persona
)

select
    guide_age_band,
    marital_status,
    count(*) as personas,
    count(*) / sum(count(*)) over (partition by guide_age_band) as share_of_band
from banded
group by guide_age_band, marital_status
order by guide_age_band, marital_status;

-- name: marital_status_by_census_age_bands
select age_band, marital_status, persona_count, share_within_age_band
from marts.mart_marital_status_by_age
where sex = 'All'
order by age_band, marital_status;

-- name: diversity_entropies
-- Shannon entropy (bits) of each attribute, as the guide computes it per column.
select * from marts.mart_diversity_metrics;

-- name: age_coefficient_of_variation
select stddev_samp(age) / avg(age) as age_cv, avg(age) as age_mean, stddev_samp(age) as age_std
from marts.dim_persona;

-- name: tech_women_30_39
-- The guide's "tech" is a regex on the occupation code ('tech|software|data|computer|engineer|developer'):
-- it catches technicians and misses occupations that say neither. Corrected: the SOC major group.
select
    (select count(*) from marts.dim_persona
        where sex = 'Female' and age between 30 and 39
        and regexp_matches(occupation, 'tech|software|data|computer|engineer|developer')) as guide_count,
    (select count(*) from marts.search_personas(
        min_age := 30, max_age := 39, sexes := ['Female'], occupation_groups := ['computer and mathematical']
    )) as corrected_count;

-- name: married_californian_engineers_30_45
-- The guide: occupation containing 'engineer'. Corrected: the architecture and engineering group.
select
    (select count(*) from marts.dim_persona
        where state = 'CA' and age between 30 and 45 and marital_status = 'married_present'
        and occupation like '%engineer%') as guide_count,
    (select count(*) from marts.search_personas(
        min_age := 30, max_age := 45, states := ['CA'], marital_statuses := ['married_present'],
        occupation_groups := ['architecture and engineering']
    )) as corrected_count;
