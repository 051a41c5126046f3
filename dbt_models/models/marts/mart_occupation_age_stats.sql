select
    occupation,
    count(*) as persona_count,
    avg(age) as age_mean,
    median(age)::double as age_median,
    -- sample standard deviation (n - 1), as pandas' Series.std computes it; NULL for one person
    stddev_samp(age) as age_std,
    min(age) as age_min,
    max(age) as age_max,
    count(*) / sum(count(*)) over () as persona_share
from {{ ref('dim_persona') }}
group by occupation
