-- Price models: the model's name carries the floor at 0. "linear" is floored at 0;
-- "linear-no-floor" is not. The separate price_floor_at_zero setting goes.
UPDATE setting SET value = 'linear-no-floor'
WHERE key = 'price_model'
  AND value = 'linear'
  AND EXISTS (
      SELECT 1 FROM setting AS f
      WHERE f.key = 'price_floor_at_zero' AND lower(trim(f.value)) = 'false'
  );
DELETE FROM setting WHERE key = 'price_floor_at_zero';
