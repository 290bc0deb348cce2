"""Party members: profile, records (training, work, awards, discipline, ratings), sensitive reads."""
